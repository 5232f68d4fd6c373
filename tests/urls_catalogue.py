"""Every URL pattern of the project, for tests that must cover all of them."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str
    params: tuple[str, ...]
    login_required: bool


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns: list, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                if ns == "admin":
                    continue
                walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                full = prefix + str(entry.pattern)
                params = (
                    tuple(entry.pattern.converters) if hasattr(entry.pattern, "converters") else ()
                )
                name = f"{namespace}:{entry.name}" if namespace else (entry.name or full)
                routes.append(
                    Route(
                        name=name,
                        pattern=full,
                        params=params,
                        login_required=getattr(entry.callback, "login_required", True),
                    )
                )

    walk(get_resolver().url_patterns, "", "")
    return routes
