"""Dutch at every boundary: the messages of pydantic and click, translated by type in one table each.

pydantic's error messages are English and some quote the input; :func:`pydantic_message`
gives the Dutch text of an error by its stable ``type``, filled only from its context
(limits, allowed values), never from the input. click's messages go through
``gettext``; :func:`install_click` points click's modules at :data:`CLICK` instead, so
"Aborted!", usage errors and help headings reach the user in Dutch. A test checks that
every message in the installed click and every pydantic error type has an entry.
"""

from __future__ import annotations

import errno
import importlib
from typing import Any

#: pydantic error type -> Dutch message; ``{name}`` fields come from the error's ``ctx``.
PYDANTIC: dict[str, str] = {
    "missing": "verplicht veld ontbreekt",
    "extra_forbidden": "onbekend veld",
    "frozen_field": "dit veld kan niet worden gewijzigd",
    "frozen_instance": "dit object kan niet worden gewijzigd",
    "model_type": "moet een object met velden zijn",
    "model_attributes_type": "moet een object met velden zijn",
    "dataclass_type": "moet een object met velden zijn",
    "dataclass_exact_type": "moet een object van het juiste soort zijn",
    "named_tuple_type": "moet een lijst of object zijn",
    "dict_type": "moet een object met velden zijn",
    "frozen_dict_type": "moet een object met velden zijn",
    "ordered_dict_type": "moet een object met velden zijn",
    "counter_type": "moet een object met tellingen zijn",
    "mapping_type": "moet een object met velden zijn",
    "invalid_key": "ongeldige sleutel",
    "list_type": "moet een lijst zijn",
    "tuple_type": "moet een lijst zijn",
    "set_type": "moet een lijst zijn",
    "frozen_set_type": "moet een lijst zijn",
    "deque_type": "moet een lijst zijn",
    "iterable_type": "moet een lijst zijn",
    "iteration_error": "de lijst is niet te lezen",
    "set_item_not_hashable": "een element van de lijst is ongeldig",
    "too_short": "te weinig elementen (minstens {min_length})",
    "too_long": "te veel elementen (hoogstens {max_length})",
    "string_type": "moet tekst zijn",
    "string_unicode": "moet geldige Unicode-tekst zijn",
    "string_too_short": "te kort (minstens {min_length} teken(s))",
    "string_too_long": "te lang (hoogstens {max_length} tekens)",
    "string_pattern_mismatch": "heeft niet de juiste vorm (patroon {pattern})",
    "string_not_ascii": "mag alleen ASCII-tekens bevatten",
    "enum": "ongeldige waarde; toegestaan: {expected}",
    "literal_error": "ongeldige waarde; toegestaan: {expected}",
    "bool_type": "moet waar of onwaar zijn",
    "bool_parsing": "moet waar of onwaar zijn",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_parsing_size": "het getal is te groot",
    "int_from_float": "moet een geheel getal zijn, zonder breuk",
    "float_type": "moet een getal zijn",
    "float_parsing": "moet een getal zijn",
    "finite_number": "moet een eindig getal zijn",
    "multiple_of": "moet een veelvoud van {multiple_of} zijn",
    "greater_than": "moet groter zijn dan {gt}",
    "greater_than_equal": "moet minstens {ge} zijn",
    "less_than": "moet kleiner zijn dan {lt}",
    "less_than_equal": "moet hoogstens {le} zijn",
    "none_required": "moet leeg zijn (null)",
    "bytes_type": "moet bytes zijn",
    "bytes_too_short": "te kort (minstens {min_length} bytes)",
    "bytes_too_long": "te lang (hoogstens {max_length} bytes)",
    "bytes_invalid_encoding": "ongeldige codering",
    "value_error": "ongeldige waarde",
    "assertion_error": "ongeldige waarde",
    "date_type": "moet een datum zijn (JJJJ-MM-DD)",
    "date_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_from_datetime_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_from_datetime_inexact": "moet een datum zijn, zonder tijd (JJJJ-MM-DD)",
    "date_past": "moet een datum in het verleden zijn",
    "date_future": "moet een datum in de toekomst zijn",
    "datum_iso": "moet een datum zijn (JJJJ-MM-DD)",
    "moment_iso": "moet een datum zijn (JJJJ-MM-DD), of datum en tijd (JJJJ-MM-DDTUU:MM), lokaal, zonder tijdzone",
    "time_type": "moet een tijd zijn (UU:MM:SS)",
    "time_parsing": "moet een tijd zijn (UU:MM:SS)",
    "datetime_type": "moet een datum en tijd zijn (ISO 8601)",
    "datetime_parsing": "moet een datum en tijd zijn (ISO 8601)",
    "datetime_object_invalid": "ongeldige datum en tijd",
    "datetime_from_date_parsing": "moet een datum en tijd zijn (ISO 8601)",
    "datetime_past": "moet in het verleden liggen",
    "datetime_future": "moet in de toekomst liggen",
    "timezone_naive": "moet zonder tijdzone zijn",
    "timezone_aware": "moet een tijdzone hebben",
    "timezone_offset": "heeft de verkeerde tijdzone",
    "time_delta_type": "moet een tijdsduur zijn",
    "time_delta_parsing": "moet een tijdsduur zijn",
    "union_tag_invalid": "onbekende soort; toegestaan: {expected_tags}",
    "union_tag_not_found": "de soort ontbreekt (veld {discriminator})",
    "json_invalid": "geen geldige JSON",
    "json_type": "moet JSON-tekst zijn",
    "recursion_loop": "te diep genest of cyclisch",
    "recursion_depth_exceeded": "te diep genest",
    "url_type": "moet een URL zijn",
    "url_parsing": "moet een geldige URL zijn",
    "url_syntax_violation": "moet een geldige URL zijn",
    "url_too_long": "de URL is te lang (hoogstens {max_length} tekens)",
    "url_scheme": "ongeldig URL-schema; toegestaan: {expected_schemes}",
    "uuid_type": "moet een UUID zijn",
    "uuid_parsing": "moet een geldige UUID zijn",
    "uuid_version": "moet een UUID van versie {expected_version} zijn",
    "decimal_type": "moet een decimaal getal zijn",
    "decimal_parsing": "moet een decimaal getal zijn",
    "decimal_max_digits": "hoogstens {max_digits} cijfers",
    "decimal_max_places": "hoogstens {decimal_places} cijfers achter de komma",
    "decimal_whole_digits": "hoogstens {whole_digits} cijfers voor de komma",
    "fraction_type": "moet een breuk zijn",
    "fraction_parsing": "moet een geldige breuk zijn",
    "complex_type": "moet een complex getal zijn",
    "complex_str_parsing": "moet een geldig complex getal zijn",
    # Errors of the models' own definition, not of the input (a caller never causes them).
    "no_such_attribute": "onbekend attribuut",
    "get_attribute_error": "het attribuut is niet te lezen",
    "needs_python_object": "moet een Python-object zijn",
    "default_factory_not_called": "de standaardwaarde kon niet worden gemaakt",
    "missing_sentinel_error": "verplicht veld ontbreekt",
    "ellipsis_error": "ongeldige waarde",
    "is_instance_of": "is van het verkeerde soort",
    "is_subclass_of": "is van het verkeerde soort",
    "callable_type": "moet aanroepbaar zijn",
    "arguments_type": "ongeldige argumenten",
    "missing_argument": "verplicht argument ontbreekt",
    "unexpected_keyword_argument": "onverwacht argument",
    "missing_keyword_only_argument": "verplicht argument ontbreekt",
    "unexpected_positional_argument": "onverwacht argument",
    "missing_positional_only_argument": "verplicht argument ontbreekt",
    "multiple_argument_values": "argument meer dan eens gegeven",
}

#: The fallback for an error type a newer pydantic adds (a test flags it for translation).
UNKNOWN = "ongeldige waarde"


def dutch_list(text: str) -> str:
    """pydantic's ``'a', 'b' or 'c'`` as ``'a', 'b' of 'c'``."""
    head, sep, tail = str(text).rpartition(" or ")
    return f"{head} of {tail}" if sep else str(text)


#: pydantic's errors for a moment (``date | datetime``: a dossier's dates, a scenario's ``op``)
#: that has the form but does not exist, one per member of the union, each located at the
#: member's name after the field's
MOMENT_ERRORS = frozenset(
    ("date_from_datetime_parsing", "datetime_from_date_parsing", "date_parsing", "datetime_parsing")
)
MOMENT_MEMBERS = frozenset(("date", "datetime"))
#: the one message for both members: the day (or the hour) does not exist
MOMENT_BESTAAT_NIET = "deze datum of tijd bestaat niet (JJJJ-MM-DD, of JJJJ-MM-DDTUU:MM)"


def pydantic_message(error: Any) -> str:
    """The Dutch message of one pydantic error (an item of ``ValidationError.errors()``)."""
    template = PYDANTIC.get(error.get("type", ""), UNKNOWN)
    context = {k: dutch_list(v) if isinstance(v, str) else v for k, v in error.get("ctx", {}).items()}
    try:
        return template.format(**context)
    except (KeyError, IndexError, ValueError):
        return template.split(" (", 1)[0].split(";", 1)[0]


#: errno -> Dutch, for a file that cannot be read (the OS's own text is English).
OS_ERRORS: dict[int, str] = {
    errno.ENOENT: "het bestand bestaat niet",
    errno.EACCES: "geen toegang tot het bestand",
    errno.EPERM: "geen toegang tot het bestand",
    errno.EISDIR: "dit is een map, geen bestand",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.ENAMETOOLONG: "de bestandsnaam is te lang",
    errno.ELOOP: "te veel symbolische koppelingen",
    errno.EMFILE: "te veel open bestanden",
    errno.EIO: "leesfout",
}


def os_message(error: OSError) -> str:
    return OS_ERRORS.get(error.errno or 0, "het bestand is niet te lezen")


#: click's messages (its gettext ids) -> Dutch; the ``{placeholders}`` stay as they are.
CLICK: dict[str, str] = {
    "Aborted!": "Afgebroken.",
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Commando's",
    "Positional arguments": "Argumenten",
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Zie '{command} {option}' voor hulp.",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
    "Missing command.": "Geef een commando.",
    "Missing argument": "Ontbrekend argument",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende parameter",
    "Missing parameter: {param_name}": "Ontbrekende parameter: {param_name}",
    "Missing {param_type}": "Ontbrekend(e) {param_type}",
    "unknown error": "onbekende fout",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "No such command {name!r}.": "Onbekend commando {name!r}.",
    "Could not open file {filename!r}: {message}": "Kan het bestand {filename!r} niet openen: {message}",
    "Option {name!r} does not take a value.": "De optie {name!r} neemt geen waarde.",
    "Argument {name!r} takes {nargs} values.": "Het argument {name!r} neemt {nargs} waarden.",
    "Invalid start character for option ({option})": "Ongeldig beginteken voor een optie ({option})",
    "Value must be an iterable.": "De waarde moet een lijst zijn.",
    "env var: {var}": "omgevingsvariabele: {var}",
    "default: {default}": "standaard: {default}",
    "(dynamic)": "(dynamisch)",
    "deprecated": "verouderd",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "Waarschuwing: het commando {name!r} is verouderd.{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "Waarschuwing: de {param_type} {name!r} is verouderd.{extra_message}"
    ),
    "Do you want to continue?": "Wilt u doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder te vragen.",
    "Press any key to continue...": "Druk op een toets om door te gaan...",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Error: The two entered values do not match.": "Fout: de twee ingevoerde waarden zijn niet gelijk.",
    "Error: invalid input": "Fout: ongeldige invoer",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "Choice({choices})": "Keuze({choices})",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} is geen geldige ja/nee-waarde. Bekende waarden: {states}"
    ),
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet schrijfbaar.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} is niet uitvoerbaar.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{editor}: Editing failed": "{editor}: bewerken mislukt",
    "{editor}: Editing failed: {e}": "{editor}: bewerken mislukt: {e}",
    "Windows error: {error}": "Windows-fout: {error}",
    "Unknown color {colour!r}": "Onbekende kleur {colour!r}",
    "Unknown standard stream '{name}'": "Onbekende standaardstroom '{name}'",
    "Couldn't detect Bash version, shell completion is not supported.": (
        "De Bash-versie is niet te bepalen; aanvullen in de shell werkt niet."
    ),
    "Shell completion is not supported for Bash versions older than 4.4.": (
        "Aanvullen in de shell werkt niet in Bash ouder dan 4.4."
    ),
    # Errors in a command's own definition (a developer's, never a user's).
    "Could not determine name for option with declarations {decls!r}": (
        "Geen naam te bepalen voor de optie met declaraties {decls!r}"
    ),
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?": (
        "Geen opties gedefinieerd, maar wel een naam ({name}). Bedoelde u een argument, of '--{name}'?"
    ),
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": (
        "Een argument neemt precies één declaratie, niet {length}: {decls}."
    ),
    "Name '{name}' defined twice": "De naam '{name}' is twee keer gedefinieerd",
    "Boolean option {decl!r} cannot use the same flag for true/false.": (
        "De ja/nee-optie {decl!r} kan niet dezelfde vlag voor waar en onwaar gebruiken."
    ),
}

#: click's singular message -> Dutch (singular, plural).
CLICK_PLURAL: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": (
        "Onverwacht extra argument ({args})",
        "Onverwachte extra argumenten ({args})",
    ),
    "Takes {nargs} values but 1 was given.": (
        "Neemt {nargs} waarden, maar kreeg er 1.",
        "Neemt {nargs} waarden, maar kreeg er {len}.",
    ),
    "Did you mean {possibility}?": ("Bedoelde u {possibility}?", "(Bedoelde u een van: {possibilities}?)"),
    "Option {name!r} requires an argument.": (
        "De optie {name!r} vraagt een waarde.",
        "De optie {name!r} vraagt {nargs} waarden.",
    ),
    "{value!r} is not {choice}.": ("{value!r} is niet {choice}.", "{value!r} is niet een van {choices}."),
    "{value!r} does not match the format {format}.": (
        "{value!r} heeft niet de vorm {format}.",
        "{value!r} heeft geen van de vormen {formats}.",
    ),
    "{len_type} values are required, but {len_value} was given.": (
        "{len_type} waarden zijn nodig, maar er is {len_value} gegeven.",
        "{len_type} waarden zijn nodig, maar er zijn {len_value} gegeven.",
    ),
}


def _gettext(message: str) -> str:
    return CLICK.get(message, message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    pair = CLICK_PLURAL.get(singular)
    if pair is None:
        return singular if count == 1 else plural
    return pair[0] if count == 1 else pair[1]


#: The click modules that translate their messages through gettext.
CLICK_MODULES = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "shell_completion",
    "termui",
    "types",
    "utils",
    "_termui_impl",
)


def install_click() -> None:
    """Make click's messages Dutch (before any command is defined: help texts are made then)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
