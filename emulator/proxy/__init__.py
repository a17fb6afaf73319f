"""The emulator as an HTTP(S) proxy for ``*.eloqua.com``, for clients whose hosts are
hard-coded: its certificate authority (:mod:`.ca`), the hosts it answers for
(:mod:`.gate`) and the listener beside uvicorn's (:mod:`.server`)."""
