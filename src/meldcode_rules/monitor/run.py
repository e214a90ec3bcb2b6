"""Running the monitor: the same parts, judged here, in worker processes or on Dask.

Each part (:mod:`meldcode_rules.monitor.read`) is judged by :func:`beoordeel_deel` into a
partial :class:`~meldcode_rules.monitor.aggregate.Aggregaat`; the parts are added up. Because
the aggregate is a monoid and a part's records are numbered by the part itself, the
single-process run, the process pool and Dask give exactly the same result.

Memory stays flat in the number of dossiers: the process pool keeps at most two parts per
worker in flight, and each part keeps only its counts, not its dossiers. What does grow is
bounded by design: the judge's caches (:mod:`meldcode_rules.caches`, each capped) fill with
the distinct combinations met and then stay; the cells grow with the distinct sectors,
organisations and months, not with the dossiers; the part descriptors are a few per
thousand dossiers.

Worker processes are *forked* where that is safe (Linux, this process has one thread and
no durable-rules host): they then inherit the rulesets compiled here, once, instead of each
importing and compiling them again (seconds per worker, see benchmarks/README.md).
Elsewhere they are spawned and compile what they meet.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import multiprocessing
import operator
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from meldcode_rules.diagnostics import CaseError, DaskFout, Geweigerd, MeldcodeError
from meldcode_rules.engines import get_engine
from meldcode_rules.monitor.aggregate import MAX_WEIGERINGEN, MAX_WERKLIJST, Aggregaat
from meldcode_rules.monitor.judge import beoordeel
from meldcode_rules.monitor.read import STDIN, Deel, plan, records
from meldcode_rules.sectors.registry import choose, compiled_for, known_sectors

#: Dossiers per part: large enough that sending a part costs little beside judging it.
PER_DEEL = 1000
#: With processes, parts shrink (not below :data:`MIN_DEEL`) until each worker gets this many:
#: three parts on two workers would leave one idle for a third of the run.
DELEN_PER_WERKER = 4
MIN_DEEL = 100

Voortgang = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Opties:
    """What every part is judged with (picklable: it travels to workers)."""

    op: dt.date
    engine: str | None = None
    max_werklijst: int = MAX_WERKLIJST
    max_weigeringen: int = MAX_WEIGERINGEN


def beoordeel_deel(deel: Deel, opties: Opties, voortgang: Voortgang | None = None) -> Aggregaat:
    """Judge every dossier of one part; a bad one is counted as refused, with its place.

    ``voortgang`` (in this process only) is told every hundred records how many were done.
    """
    aggregaat = Aggregaat(max_werklijst=opties.max_werklijst, max_weigeringen=opties.max_weigeringen)
    told = 0
    names: dict[str, str] = {}  # a part's records share one or a few sources: name each once
    try:
        for record in records(deel):
            if voortgang is not None and aggregaat.gelezen - told >= 100:
                voortgang(aggregaat.gelezen - told)
                told = aggregaat.gelezen
            bron = names.get(record.bron)
            if bron is None:
                bron = names[record.bron] = Path(record.bron).name if record.bron != "standaardinvoer" else record.bron
            if record.data is None:
                aggregaat.weiger(bron, record.plek, record.fout or "onleesbaar")
                continue
            plek = f"{bron}:{record.plek}" if record.plek else bron
            try:
                uitkomst = beoordeel(record.data, opties.op, opties.engine, plek)
            except Geweigerd as refusal:
                aggregaat.weiger(bron, record.plek, refusal.categorie)
                continue
            aggregaat.tel(uitkomst)
    except OSError:
        # The file went away or became unreadable while the run was going: the part is refused whole.
        aggregaat.weiger(_bron_of(deel), 0, "bestand niet te lezen")
    if voortgang is not None:
        voortgang(aggregaat.gelezen - told)
    return aggregaat.af()


def _bron_of(deel: Deel) -> str:
    name = getattr(deel, "pad", None) or getattr(deel, "bron", None) or deel.paden[0]  # type: ignore[union-attr]
    return Path(name).name


def deel_grootte(total: int, processen: int) -> int:
    """Dossiers per part for ``total`` dossiers on ``processen`` workers: at most :data:`PER_DEEL`,
    and small enough that each worker gets :data:`DELEN_PER_WERKER` parts, down to :data:`MIN_DEEL`."""
    even = -(-total // (processen * DELEN_PER_WERKER))  # ceiling division
    return max(MIN_DEEL, min(PER_DEEL, even))


def _parts(paths: Sequence[str | Path], per_deel: int) -> tuple[Iterable[Deel], int | None]:
    """The parts, and how many dossiers they hold (``None`` when reading standard input)."""
    if any(str(p) == STDIN for p in paths):
        return plan(paths, per_deel), None
    parts = list(plan(paths, per_deel))  # descriptors only: a few per thousand dossiers
    return parts, sum(p.aantal for p in parts)


def _basismodel_geldt(op: dt.date) -> None:
    """Fail up front when no version of the basismodel is in force on the peildatum.

    Every dossier is judged by the basismodel, so on such a date each one would be refused:
    a run of refusals that hides its one cause. (A sector whose first version is later is
    a refusal per dossier of that sector, as ``evaluate`` gives it.)
    """
    try:
        choose(None, None, op, veld="op")  # the one choice of versions, as a judgement makes it
    except CaseError as error:
        raise MeldcodeError(f"peildatum {op.isoformat()}: " + "; ".join(d.message for d in error.diagnostics)) from None


def monitor(
    paths: Sequence[str | Path],
    opties: Opties,
    *,
    processen: int = 1,
    dask: str | None = None,
    per_deel: int | None = None,
    voortgang: Callable[[int | None], Voortgang] | None = None,
) -> Aggregaat:
    """Judge every dossier under ``paths`` as of ``opties.op`` and add up the figures.

    ``processen`` > 1 judges parts in that many worker processes (parts of :func:`deel_grootte`
    dossiers unless ``per_deel`` is given); ``dask`` is ``"local"``
    (a LocalCluster started and stopped here) or a scheduler address. ``voortgang`` is
    called with the total (or ``None``) and returns a function told how many were done; with
    processes it is called only once the workers exist (see :func:`start_method`).
    """
    _basismodel_geldt(opties.op)
    parts, total = _parts(paths, PER_DEEL if per_deel is None else per_deel)
    if per_deel is None and processen > 1 and total is not None:
        smaller = deel_grootte(total, processen)
        if smaller < PER_DEEL:  # a small input: plan it again in smaller parts (it is read quickly)
            parts, total = _parts(paths, smaller)

    def begin() -> Voortgang:
        return voortgang(total) if voortgang else (lambda _n: None)

    if processen > 1:
        # The pool starts the progress display itself: after forking, so no child inherits its thread.
        return _met_processen(parts, opties, processen, begin)
    step = begin()
    if dask:
        return _met_dask(list(parts), opties, dask, step)
    result = Aggregaat(max_werklijst=opties.max_werklijst, max_weigeringen=opties.max_weigeringen)
    for deel in parts:
        result = result + beoordeel_deel(deel, opties, step)
    return result.af()


def _warm(engine: str | None) -> None:
    # Compile the built-in rulesets once per worker before the first part arrives.
    compiled_for(None)
    get_engine(engine)


def start_method() -> str:
    """``fork`` where a child can safely inherit this process, else ``spawn``.

    Fork copies only the calling thread: a lock held by another thread (a progress display, a
    durable-rules host's timers) would stay locked in the child forever. So fork only on Linux
    (elsewhere system libraries are not fork-safe either), with this one thread, and before
    any durable-rules host exists here.
    """
    if (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and "meldcode_rules.engines.durable" not in sys.modules
    ):
        return "fork"
    return "spawn"


def _compile_for_workers(first: Deel, opties: Opties) -> None:
    """Compile, here, the rulesets the first part names, so that forked workers inherit them.

    Only the speed may depend on this, so nothing here may fail the run: a part that cannot be
    read, or a sector that cannot be compiled, meets the worker as it would one process, which
    refuses it (the part whole, or dossier by dossier) or stops as a single process would.
    """
    names: set[str | None] = {None}
    try:
        known = set(known_sectors())
        for record in records(first):
            sector = record.data.get("sector") if record.data is not None else None
            if isinstance(sector, str) and sector in known:
                names.add(sector)
    except Exception:  # a warm-up only: the worker reads the part again and meets the same problem
        pass
    for name in sorted(names, key=lambda n: n or ""):
        try:
            compiled_for(name, opties.op, veld="op")
        except Exception:  # a warm-up only: the worker judges (and refuses) as a single process does
            continue


def _first_submit(pool: ProcessPoolExecutor, deel: Deel, opties: Opties, *, frozen: bool) -> Future[Aggregaat]:
    """Submit the first part; with fork, that forks every worker, with this process's objects frozen.

    A frozen object is never visited by the children's garbage collector, so more of the
    compiled rulesets they inherit stay shared pages instead of being copied into each worker
    (a quarter fewer page faults, about 9 MiB per worker, benchmarks/README.md). This
    process unfreezes at once.
    """
    if not frozen:
        return pool.submit(beoordeel_deel, deel, opties)
    gc.freeze()
    try:
        return pool.submit(beoordeel_deel, deel, opties)
    finally:
        gc.unfreeze()


def _met_processen(parts: Iterable[Deel], opties: Opties, processen: int, begin: Callable[[], Voortgang]) -> Aggregaat:
    result = Aggregaat(max_werklijst=opties.max_werklijst, max_weigeringen=opties.max_weigeringen)
    method = start_method()
    source: Iterator[Deel] = iter(parts)
    if method == "fork":
        first = next(source, None)
        if first is None:
            begin()
            return result.af()
        _compile_for_workers(first, opties)
        source = chain([first], source)
    context = multiprocessing.get_context(method)
    # A spawned worker starts empty: it compiles the basismodel before its first part.
    initializer = functools.partial(_warm, opties.engine) if method == "spawn" else None
    pending: set[Future[Aggregaat]] = set()
    step: Voortgang | None = None
    with ProcessPoolExecutor(processen, mp_context=context, initializer=initializer) as pool:
        for deel in source:
            if step is None:
                pending.add(_first_submit(pool, deel, opties, frozen=method == "fork"))
                step = begin()  # the first submit forked every worker: only now may a thread start
            else:
                pending.add(pool.submit(beoordeel_deel, deel, opties))
            if len(pending) >= 2 * processen:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    partial = future.result()
                    result = result + partial
                    step(partial.gelezen)
        if step is None:  # no parts: an empty report, with its (empty) progress
            step = begin()
        for future in pending:
            partial = future.result()
            result = result + partial
            step(partial.gelezen)
    return result.af()


def _met_dask(parts: list[Deel], opties: Opties, address: str, step: Voortgang) -> Aggregaat:
    try:  # lazy: Dask is an optional extra, only for --dask
        import dask.bag as db
        from distributed import Client, LocalCluster, as_completed  # lazy: as above
    except ImportError:
        raise DaskFout("Dask is niet geïnstalleerd: installeer `meldcode-rules[dask]`") from None
    if any(type(p).__name__ == "TekstDeel" for p in parts):
        raise DaskFout("Dask leest bestanden, geen standaardinvoer: geef een pad")
    empty = Aggregaat(max_werklijst=opties.max_werklijst, max_weigeringen=opties.max_weigeringen)
    if not parts:
        return empty
    cluster = None
    if address == "local":
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        )
        client = Client(cluster)
    else:
        try:
            client = Client(address, timeout="30s")
        except OSError as error:
            raise DaskFout(f"geen Dask-scheduler bereikbaar op het opgegeven adres ({type(error).__name__})") from None
    try:
        # One bag partition per part: a JSON Lines byte range, some files or some row groups.
        bag = db.from_sequence(parts, npartitions=len(parts)).map(beoordeel_deel, opties)
        futures = client.compute(bag.to_delayed())
        result = empty
        for future in as_completed(futures):
            partial = _sum_partition(future.result(), empty)
            result = result + partial
            step(partial.gelezen)
            future.release()
        return result.af()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _sum_partition(items: Iterable[Aggregaat], empty: Aggregaat) -> Aggregaat:
    total = empty
    for item in items:
        total = operator.add(total, item)
    return total
