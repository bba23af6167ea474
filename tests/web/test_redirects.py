"""After login and the language switch, only paths on this server are followed."""

from web.routes_auth import safe_next


def test_only_local_paths_are_followed_after_login():
    assert safe_next("/list?page=2") == "/list?page=2"
    for outside in ("https://evil.example/", "//evil.example", "/\\evil.example", "list", None):
        assert safe_next(outside) == "/"
