"""Helper used by drive_pyeloqua.py and drive_tap_eloqua.py.

pyeloqua and tap-eloqua hard-code 'https://login.eloqua.com/...' as string
literals *inside* functions, so there is no constructor argument or module
constant to override.  The least invasive override is to replace the `requests`
name in the library's own module namespace with a thin proxy whose HTTP calls
rewrite the 'https://login.eloqua.com' prefix to the emulator origin.  Every
other URL is passed through untouched (they come from the /id response, i.e.
already point at the emulator).  No library file is modified.
"""

import types

import requests as _real_requests

LOGIN_HOST = "https://login.eloqua.com"


def _rewrite(url, target):
    if isinstance(url, str) and url.lower().startswith(LOGIN_HOST):
        return target.rstrip("/") + url[len(LOGIN_HOST) :]
    return url


def make_requests_proxy(target):
    """Return an object usable in place of the `requests` module."""

    class RedirectingSession(_real_requests.Session):
        def request(self, method, url, *args, **kwargs):
            return super().request(method, _rewrite(url, target), *args, **kwargs)

    def request(method, url, **kwargs):
        with RedirectingSession() as s:
            return s.request(method=method, url=url, **kwargs)

    proxy = types.SimpleNamespace()
    # expose everything the real module has (exceptions, auth, codes, ...)
    for name in dir(_real_requests):
        if not name.startswith("__"):
            setattr(proxy, name, getattr(_real_requests, name))
    proxy.Session = RedirectingSession
    proxy.session = RedirectingSession
    proxy.request = request
    proxy.get = lambda url, params=None, **kw: request("get", url, params=params, **kw)
    proxy.options = lambda url, **kw: request("options", url, **kw)
    proxy.head = lambda url, **kw: request("head", url, **kw)
    proxy.post = lambda url, data=None, json=None, **kw: request(
        "post", url, data=data, json=json, **kw
    )
    proxy.put = lambda url, data=None, **kw: request("put", url, data=data, **kw)
    proxy.patch = lambda url, data=None, **kw: request("patch", url, data=data, **kw)
    proxy.delete = lambda url, **kw: request("delete", url, **kw)
    return proxy
