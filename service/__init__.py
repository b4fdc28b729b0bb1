"""The Vaardig web service: a FastAPI app (JSON API under ``/api/v1``, OpenAPI at ``/docs``)
and the server-rendered HR web page, over the library (``taxonomy``, ``extractor``,
``matcher``, ``vaardig.workflow``). It validates, authorises, calls the library and
serialises; it holds no NLP or matching logic of its own.

    from service.app import create_app
    app = create_app()          # settings from VAARDIG_* variables; see docs/deployment.md
"""
