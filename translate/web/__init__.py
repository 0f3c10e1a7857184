"""The browser front (`translate serve`): to the browser what translate/cli/ is to the terminal.

- app.py:       the Starlette application, its routes and the desk it serves
- security.py:  signed session cookies with an idle timeout, CSRF tokens, sign-in rate limits,
                security headers (CSP without inline script)
- templates/:   Jinja2 pages (autoescaped: stories are untrusted input)
- static/:      one small plain-JS file (keyboard, diff toggle) and the stylesheet

Routes parse a request, call the same library functions as the CLI (translate/review,
translate/publish, translate/views, translate/auth) and render; no SQL and no workflow rule here.
Starlette and Jinja2 are imported only by `translate serve` and the tests.
"""
