"""``meldcode-rules serve``: the library as an HTTP service (FastAPI on uvicorn; extra ``[service]``).

``app`` builds the application, ``config`` holds its settings and refuses unsafe ones,
``openapi`` builds the OpenAPI document, ``problems`` the Dutch RFC 9457 errors and
``server`` runs it under uvicorn. See docs/integratie.md.
"""
