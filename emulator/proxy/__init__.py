"""The emulator as an HTTP(S) proxy for ``*.eloqua.com``, for clients that cannot be pointed
at another host: its certificate authority (:mod:`.ca`), the hosts it answers for
(:mod:`.gate`) and the listener beside uvicorn's (:mod:`.server`)."""
