"""Request validation as strict as LINE's: the OpenAPI schemas, their discriminators, and the limits.

LINE's `messaging-api.yml` (in `spec/`, unaltered) describes message objects as a base schema with a
`discriminator` (`Message` → `TextMessage`, `FlexMessage`, ...; `FlexComponent` → `FlexBox`, ...;
`Action` → `PostbackAction`, ...). A generic JSON Schema validator ignores `discriminator`, so an
unknown `type` or a flex button whose action lacks a label passes. Here the spec is rewritten once,
at load time, so that every reference to a base schema dispatches on the discriminator property to
the mapped schema (an unknown value is an error), while the mapped schemas inherit from a copy of the
base without the dispatch (no infinite recursion).

On top of the schemas come the rules the spec leaves out or JSON Schema can't express (see
`LIMITS`): text counted in UTF-16 code units, `altText`, bubble and carousel JSON sizes, labels that
are required only in some places (flex buttons, quick replies, templates), action fields LINE
requires. Problems come back as `ValidationProblem(property, message)` with LINE's property paths
(`messages[0].contents.body.contents[2].action.label`).

`validate_messages(messages)` is the plain entry point for the bot's own tests. Results are cached by
message JSON: a broadcast validates the same message thousands of times for one real check.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol
from urllib.parse import urlsplit

import jsonschema  # type: ignore[import-untyped]  # no stubs in requirements-dev.txt
import orjson
import yaml
from jsonschema import FormatChecker, ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_PATH: Final = Path(__file__).parent / "spec" / "messaging-api.yml"
WEBHOOK_SPEC_PATH: Final = Path(__file__).parent / "spec" / "webhook.yml"
_SPEC_URI: Final = "urn:linesim:messaging-api"
_WEBHOOK_URI: Final = "urn:linesim:webhook"
_SCHEMAS: Final = "#/components/schemas/"


@dataclass(frozen=True)
class Limits:
    """LINE's limits that the OpenAPI spec doesn't carry. Sizes in bytes of compact UTF-8 JSON.

    "30 KB" and "50 KB" are read as 30,000 and 50,000 bytes and "2 MB" as 2,000,000: where LINE's
    documentation is ambiguous the stand-in takes the stricter reading, so what passes here passes there.
    """

    messages_per_request: int = 5
    text_utf16_units: int = 5000
    alt_text_utf16_units: int = 1500
    bubble_bytes: int = 30_000
    carousel_bytes: int = 50_000
    carousel_bubbles: int = 12
    quick_reply_items: int = 13
    request_body_bytes: int = 2_000_000
    multicast_recipients: int = 500
    # Rich menus: the object's size (and the image's, which must match it), areas, action texts,
    # the image file, and how many menus and aliases a channel may hold.
    rich_menu_width: tuple[int, int] = (800, 2500)
    rich_menu_height_min: int = 250
    rich_menu_aspect_min: float = 1.45
    rich_menu_areas: int = 20
    rich_menu_action_label: int = 20
    rich_menu_action_text: int = 300
    rich_menu_image_bytes: int = 1_000_000
    rich_menu_image_types: tuple[str, ...] = ("image/jpeg", "image/png")
    rich_menus: int = 1000
    rich_menu_aliases: int = 1000


LIMITS: Final = Limits()


@dataclass(frozen=True, slots=True)
class ValidationProblem:
    """One thing wrong with a request body, as LINE reports it in `details`."""

    property: str
    message: str

    def __str__(self) -> str:
        return f"{self.property}: {self.message}"

    def as_detail(self) -> dict[str, str]:
        return {"message": self.message, "property": self.property}


class SupportsToDict(Protocol):
    """A line-bot-sdk v3 model (`TextMessage(...)`, `FlexMessage(...)`): anything with `to_dict()`."""

    def to_dict(self) -> dict[str, Any]: ...


# Actions that LINE requires a label for, by where they appear, with the label's maximum length.
_LABELLED_ACTIONS: Final[tuple[tuple[str, str, int], ...]] = (
    ("FlexButton", "action", 40),
    ("QuickReplyItem", "action", 20),
    ("ButtonsTemplate", "actions[]", 20),
    ("ConfirmTemplate", "actions[]", 20),
    ("CarouselColumn", "actions[]", 20),
    ("ImageCarouselColumn", "action", 12),
)
# Fields LINE requires that the spec leaves optional.
_EXTRA_REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    "MessageAction": ("text",),
    "PostbackAction": ("data",),
    "URIAction": ("uri",),
    "DatetimePickerAction": ("data", "mode"),
    "RichMenuSwitchAction": ("richMenuAliasId", "data"),
    "RichMenuRequest": ("size", "selected", "name", "chatBarText", "areas"),
    "RichMenuSize": ("width", "height"),
    "RichMenuArea": ("bounds", "action"),
    "RichMenuBounds": ("x", "y", "width", "height"),
    "FlexSpan": ("text",),
    "QuickReplyItem": ("action",),
}
# Array sizes LINE enforces that the spec leaves open: (schema, property) → (min, max).
_ARRAY_SIZES: Final[dict[tuple[str, str], tuple[int, int]]] = {
    ("QuickReply", "items"): (1, LIMITS.quick_reply_items),
    ("FlexCarousel", "contents"): (1, LIMITS.carousel_bubbles),
    ("ButtonsTemplate", "actions"): (1, 4),
    ("ConfirmTemplate", "actions"): (2, 2),
    ("CarouselTemplate", "columns"): (1, 10),
    ("CarouselColumn", "actions"): (1, 3),
    ("ImageCarouselTemplate", "columns"): (1, 10),
    ("RichMenuRequest", "areas"): (0, LIMITS.rich_menu_areas),
}
# Media and icon URLs LINE fetches: HTTPS only (actions may also use http, line: and tel:).
_HTTPS_ONLY: Final[dict[str, tuple[str, ...]]] = {
    "ImageMessage": ("originalContentUrl", "previewImageUrl"),
    "VideoMessage": ("originalContentUrl", "previewImageUrl"),
    "AudioMessage": ("originalContentUrl",),
    "ImagemapMessage": ("baseUrl",),
    "FlexImage": ("url",),
    "FlexIcon": ("url",),
    "FlexVideo": ("url", "previewUrl"),
    "Sender": ("iconUrl",),
    "QuickReplyItem": ("imageUrl",),
    "ButtonsTemplate": ("thumbnailImageUrl",),
    "CarouselColumn": ("thumbnailImageUrl",),
    "ImageCarouselColumn": ("imageUrl",),
}
# Request bodies whose `messages` are validated one by one (cached) rather than with the envelope.
_ENVELOPES: Final = ("ReplyMessageRequest", "PushMessageRequest", "MulticastRequest")
_URI_SCHEMES: Final = frozenset({"http", "https", "line", "tel", "mailto"})
_REQUIRED_MESSAGE: Final = re.compile(r"^'(?P<name>[^']+)' is a required property$")


class MessagingSpec:
    """Validators compiled once from `messaging-api.yml`. Thread-safe; `load()` is the usual way in."""

    def __init__(self, spec: Mapping[str, Any], *, cache_size: int = 4096) -> None:
        schemas = _rewrite_schemas(spec["components"]["schemas"], _SPEC_URI)
        compile_schema = _compiler(schemas, _SPEC_URI)
        self._message = compile_schema("Message")
        self._requests = {name: compile_schema(name) for name in schemas if name.endswith("Request")}
        self._cached_problems = functools.lru_cache(maxsize=cache_size)(self._problems_of_json)
        self._cache_lock = threading.Lock()

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> MessagingSpec:
        with path.open("rb") as file:
            spec = yaml.load(file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
        return cls(spec)

    def message_problems(self, message: Mapping[str, Any], prefix: str = "") -> list[ValidationProblem]:
        """Problems of one message object (cached by its JSON), with `prefix` before each property."""
        problems = self._cached_problems(orjson.dumps(message))
        if not prefix:
            return list(problems)
        return [ValidationProblem(_join(prefix, p.property), p.message) for p in problems]

    def request_problems(self, schema_name: str, body: Any) -> list[ValidationProblem]:
        """Problems of a request body validated as `schema_name` (e.g. "PushMessageRequest")."""
        validator = self._requests[schema_name]
        problems = _collect(validator.iter_errors(body))
        if schema_name == "RichMenuRequest" and not problems:
            problems.extend(_rich_menu_rule_problems(body))
        if schema_name in _ENVELOPES and isinstance(body, Mapping):
            messages = body.get("messages")
            if isinstance(messages, list) and len(messages) <= LIMITS.messages_per_request:
                for index, message in enumerate(messages):
                    problems.extend(self.any_message_problems(message, f"messages[{index}]"))
        return _unique(problems)

    def any_message_problems(self, message: object, prefix: str) -> list[ValidationProblem]:
        """As `message_problems`, for whatever JSON value stands where a message object should."""
        if isinstance(message, Mapping):
            return self.message_problems(message, prefix)
        return [ValidationProblem(prefix, "must be of type object")]

    def cache_info(self) -> functools._CacheInfo:
        return self._cached_problems.cache_info()

    def _problems_of_json(self, message_json: bytes) -> tuple[ValidationProblem, ...]:
        message = orjson.loads(message_json)
        problems = _collect(self._message.iter_errors(message))
        problems.extend(_limit_problems(message))
        return tuple(_unique(problems))


@functools.cache
def default_spec() -> MessagingSpec:
    """The spec shipped in `spec/`, loaded and compiled on first use (about 0.2 s), then shared."""
    return MessagingSpec.load()


class WebhookSpec:
    """What LINE sends to a bot's webhook (`webhook.yml`, unaltered): `CallbackRequest` and its events,
    with the same discriminator dispatch as the messaging spec. The emulator checks every body it builds
    against it, so what the bot receives from the emulator is what LINE could send."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        schemas = _rewrite_schemas(spec["components"]["schemas"], _WEBHOOK_URI, line_rules=False)
        self._callback = _compiler(schemas, _WEBHOOK_URI)("CallbackRequest")

    @classmethod
    def load(cls, path: Path = WEBHOOK_SPEC_PATH) -> WebhookSpec:
        with path.open("rb") as file:
            spec = yaml.load(file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
        return cls(spec)

    def problems(self, body: Any) -> list[ValidationProblem]:
        """Problems of a webhook request body (`{"destination", "events"}`); empty means valid."""
        return _unique(_collect(self._callback.iter_errors(body)))


@functools.cache
def default_webhook_spec() -> WebhookSpec:
    """`spec/webhook.yml`, loaded and compiled on first use, then shared."""
    return WebhookSpec.load()


def message_problems(messages: Sequence[Mapping[str, Any] | SupportsToDict]) -> list[ValidationProblem]:
    """Every problem LINE would report for `messages` sent in one reply or push."""
    spec = default_spec()
    problems: list[ValidationProblem] = []
    if not 1 <= len(messages) <= LIMITS.messages_per_request:
        problems.append(
            ValidationProblem("messages", f"Size must be between 1 and {LIMITS.messages_per_request}")
        )
    for index, message in enumerate(messages):
        to_dict = getattr(message, "to_dict", None)
        as_dict = message.to_dict() if to_dict is not None and not isinstance(message, Mapping) else message
        problems.extend(spec.any_message_problems(as_dict, f"messages[{index}]"))
    return problems


def validate_messages(messages: Sequence[Mapping[str, Any] | SupportsToDict]) -> list[str]:
    """`"property: message"` for each problem LINE would find in `messages`; empty means valid.

    Accepts plain dicts (the JSON the bot sends) or line-bot-sdk v3 message models.
    """
    return [str(problem) for problem in message_problems(messages)]


def utf16_units(text: str) -> int:
    """Length as LINE counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def json_size(value: Any) -> int:
    """Bytes of `value` as compact UTF-8 JSON, the measure used for bubble and carousel sizes."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


# --- Rewriting the spec ------------------------------------------------------------------------


def _compiler(schemas: dict[str, Any], uri: str) -> Callable[[str], Any]:
    """A function compiling a validator of one schema of `schemas` (registered under `uri`) by name."""
    registry: Registry[Any] = Registry().with_resource(
        uri, DRAFT202012.create_resource({"components": {"schemas": schemas}})
    )
    validator_class = jsonschema.validators.extend(
        jsonschema.Draft202012Validator, {"discriminator": _discriminator}
    )
    format_checker = FormatChecker(formats=())
    format_checker.checks("uri")(_is_uri)
    format_checker.checks("https-uri")(_is_https_uri)

    def compile_schema(name: str) -> Any:
        ref = {"$ref": f"{uri}{_SCHEMAS}{name}"}
        validator: Any = validator_class(ref, registry=registry, format_checker=format_checker)
        return validator

    return compile_schema


def _rewrite_schemas(original: Mapping[str, Any], uri: str, *, line_rules: bool = True) -> dict[str, Any]:
    """A copy of `components.schemas` with discriminators made to dispatch, plus LINE's extra rules
    (`line_rules`: those of the messaging API, on top of its spec).

    For each base `B` with a discriminator: `B` keeps its properties and gains the `discriminator`
    keyword (handled by `_discriminator`), `B__base` is `B` without it, each mapped schema's
    `allOf: [{$ref: B}]` points to `B__base`, and each mapped schema pins the discriminator value.
    """
    schemas: dict[str, Any] = copy.deepcopy(dict(original))
    for name, schema in list(schemas.items()):
        _make_nullable_explicit(schema)
        discriminator = schema.get("discriminator")
        if discriminator is None:
            continue
        base = {key: value for key, value in schema.items() if key != "discriminator"}
        schemas[f"{name}__base"] = base
        prop = discriminator["propertyName"]
        mapping = {
            value: target.removeprefix(_SCHEMAS) for value, target in discriminator.get("mapping", {}).items()
        }
        schema["discriminator"] = {
            "propertyName": prop,
            "kind": name,
            "mapping": {value: f"{uri}{_SCHEMAS}{target}" for value, target in mapping.items()},
        }
        for target in set(mapping.values()):
            child = schemas[target]
            for part in child.get("allOf", []):
                if part.get("$ref") == f"{_SCHEMAS}{name}":
                    part["$ref"] = f"{_SCHEMAS}{name}__base"
            values = sorted(value for value, t in mapping.items() if t == target)
            child.setdefault("allOf", []).append({"properties": {prop: {"enum": values}}})
    if not line_rules:
        return schemas
    _add_line_rules(schemas)
    for name in _ENVELOPES:
        envelope = copy.deepcopy(schemas[name])
        envelope["properties"]["messages"].pop("items", None)
        schemas[name] = envelope
    return schemas


def _add_line_rules(schemas: dict[str, Any]) -> None:
    for name, fields in _EXTRA_REQUIRED.items():
        required = schemas[name].setdefault("required", [])
        required.extend(field for field in fields if field not in required)
    for (name, prop), (minimum, maximum) in _ARRAY_SIZES.items():
        array = _property_schema(schemas[name], prop)
        array["minItems"], array["maxItems"] = minimum, maximum
    for name, fields in _HTTPS_ONLY.items():
        for field in fields:
            _property_schema(schemas[name], field)["format"] = "https-uri"
    labelled = {
        "allOf": [{"$ref": f"{_SCHEMAS}Action"}, {"required": ["label"]}],
    }
    for name, prop, max_length in _LABELLED_ACTIONS:
        container = _property_schema(schemas[name], prop.removesuffix("[]"))
        if prop.endswith("[]"):
            container = container["items"]
        container.clear()
        container.update(copy.deepcopy(labelled))
        container["allOf"][1]["properties"] = {"label": {"minLength": 1, "maxLength": max_length}}


def _property_schema(schema: dict[str, Any], prop: str) -> dict[str, Any]:
    """The schema of `prop`, declared directly or in one of the `allOf` parts."""
    for part in [schema, *schema.get("allOf", [])]:
        found = part.get("properties", {}).get(prop)
        if found is not None:
            result: dict[str, Any] = found
            return result
    raise KeyError(f"{prop} is not a property of the schema")


def _make_nullable_explicit(schema: Any) -> None:
    """OpenAPI 3.0's `nullable: true` as JSON Schema's `type: [T, "null"]`, everywhere below `schema`."""
    if isinstance(schema, dict):
        if schema.pop("nullable", False) and isinstance(schema.get("type"), str):
            schema["type"] = [schema["type"], "null"]
        for value in schema.values():
            _make_nullable_explicit(value)
    elif isinstance(schema, list):
        for item in schema:
            _make_nullable_explicit(item)


def _discriminator(
    validator: Any, value: Mapping[str, Any], instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """The `discriminator` keyword: validate `instance` as the schema its type property selects."""
    if not isinstance(instance, dict):
        return
    prop = value["propertyName"]
    if prop not in instance:
        yield ValidationError(f"'{prop}' is a required property")
        return
    tag = instance[prop]
    target = value["mapping"].get(tag) if isinstance(tag, str) else None
    if target is None:
        expected = ", ".join(sorted(value["mapping"]))
        yield ValidationError(f"unknown {value['kind']} type {tag!r} (one of: {expected})", path=[prop])
        return
    yield from validator.descend(instance, {"$ref": target})


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if any(char.isspace() for char in value):
        return False
    parts = urlsplit(value)
    if parts.scheme not in _URI_SCHEMES:
        return False
    return bool(parts.netloc) if parts.scheme in ("http", "https") else bool(parts.path)


def _is_https_uri(value: object) -> bool:
    return not isinstance(value, str) or (value.startswith("https://") and _is_uri(value))


# --- Errors as LINE reports them ---------------------------------------------------------------


def _collect(errors: Iterator[ValidationError]) -> list[ValidationProblem]:
    return [_problem(error) for error in errors]


def _problem(error: ValidationError) -> ValidationProblem:
    path = list(error.absolute_path)
    keyword, limit = error.validator, error.validator_value
    message = error.message
    if keyword == "required":
        match = _REQUIRED_MESSAGE.match(error.message)
        if match:
            path.append(match["name"])
        message = "must be specified"
    elif keyword == "discriminator":
        required = _REQUIRED_MESSAGE.match(error.message)
        if required:
            path.append(required["name"])
            message = "must be specified"
    elif keyword in ("maxItems", "minItems"):
        bounds = _bounds(error.schema, "minItems", "maxItems")
        message = f"Size must be between {bounds[0]} and {bounds[1]}"
    elif keyword in ("maxLength", "minLength"):
        bounds = _bounds(error.schema, "minLength", "maxLength")
        message = f"Length must be between {bounds[0]} and {bounds[1]}"
    elif keyword == "enum":
        message = "must be one of: " + ", ".join(str(option) for option in limit)
    elif keyword == "type":
        message = f"must be of type {limit if isinstance(limit, str) else ' or '.join(limit)}"
    elif keyword == "format":
        message = "must be an https URL" if limit == "https-uri" else f"invalid {limit}"
    elif keyword in ("minimum", "maximum"):
        message = f"must be {'at least' if keyword == 'minimum' else 'at most'} {limit}"
    return ValidationProblem(_property_path(path), message)


def _bounds(schema: Any, low: str, high: str) -> tuple[object, object]:
    if not isinstance(schema, Mapping):
        return (0, "unlimited")
    return (schema.get(low, 0), schema.get(high, "unlimited"))


def _property_path(path: Sequence[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _join(prefix: str, property_path: str) -> str:
    if not property_path:
        return prefix
    return prefix + property_path if property_path.startswith("[") else f"{prefix}.{property_path}"


def _unique(problems: list[ValidationProblem]) -> list[ValidationProblem]:
    return list(dict.fromkeys(problems))


# --- The limits outside the schemas ------------------------------------------------------------


def _limit_problems(message: Any) -> Iterator[ValidationProblem]:
    if not isinstance(message, dict):
        return
    kind = message.get("type")
    text = message.get("text")
    if kind in ("text", "textV2") and isinstance(text, str):
        yield from _length_problem("text", text, LIMITS.text_utf16_units)
    alt_text = message.get("altText")
    if kind in ("flex", "template", "imagemap") and isinstance(alt_text, str):
        yield from _length_problem("altText", alt_text, LIMITS.alt_text_utf16_units)
    contents = message.get("contents")
    if kind == "flex" and isinstance(contents, dict):
        yield from _container_problems(contents, "contents")


def _length_problem(path: str, text: str, maximum: int) -> Iterator[ValidationProblem]:
    if not 1 <= utf16_units(text) <= maximum:
        yield ValidationProblem(path, f"Length must be between 1 and {maximum} (UTF-16 code units)")


def _container_problems(container: dict[str, Any], path: str) -> Iterator[ValidationProblem]:
    kind = container.get("type")
    if kind == "bubble":
        yield from _bubble_problems(container, path)
    elif kind == "carousel":
        size = json_size(container)
        if size > LIMITS.carousel_bytes:
            yield ValidationProblem(path, f"carousel JSON is {size} bytes; at most {LIMITS.carousel_bytes}")
        bubbles = container.get("contents")
        if isinstance(bubbles, list):
            for index, bubble in enumerate(bubbles):
                if isinstance(bubble, dict):
                    yield from _bubble_problems(bubble, f"{path}.contents[{index}]")


def _bubble_problems(bubble: dict[str, Any], path: str) -> Iterator[ValidationProblem]:
    size = json_size(bubble)
    if size > LIMITS.bubble_bytes:
        yield ValidationProblem(path, f"bubble JSON is {size} bytes; at most {LIMITS.bubble_bytes}")
    for block in ("header", "hero", "body", "footer"):
        component = bubble.get(block)
        if isinstance(component, dict):
            yield from _component_problems(component, f"{path}.{block}")


def _component_problems(component: dict[str, Any], path: str) -> Iterator[ValidationProblem]:
    kind = component.get("type")
    children = component.get("contents")
    if kind == "text" and "text" not in component and not children:
        yield ValidationProblem(f"{path}.text", "must be specified (or contents)")
    if kind == "box" and isinstance(children, list):
        for index, child in enumerate(children):
            if isinstance(child, dict):
                yield from _component_problems(child, f"{path}.contents[{index}]")
    alt_content = component.get("altContent")
    if kind == "video" and isinstance(alt_content, dict):
        yield from _component_problems(alt_content, f"{path}.altContent")


# --- Rich menus --------------------------------------------------------------------------------


def _rich_menu_rule_problems(menu: Mapping[str, Any]) -> Iterator[ValidationProblem]:
    """LINE's rules on a schema-valid rich menu object that its spec leaves out."""
    width, height = menu["size"]["width"], menu["size"]["height"]
    low, high = LIMITS.rich_menu_width
    if not low <= width <= high:
        yield ValidationProblem("size.width", f"must be between {low} and {high}")
    if height < LIMITS.rich_menu_height_min:
        yield ValidationProblem("size.height", f"must be at least {LIMITS.rich_menu_height_min}")
    if height and width / height < LIMITS.rich_menu_aspect_min:
        yield ValidationProblem("size", f"width / height must be at least {LIMITS.rich_menu_aspect_min}")
    for index, area in enumerate(menu["areas"]):
        path = f"areas[{index}]"
        bounds = area["bounds"]
        if bounds["x"] + bounds["width"] > width or bounds["y"] + bounds["height"] > height:
            yield ValidationProblem(f"{path}.bounds", f"must be within the rich menu ({width}x{height})")
        action = area["action"]
        label = action.get("label")
        if isinstance(label, str) and not 1 <= len(label) <= LIMITS.rich_menu_action_label:
            yield ValidationProblem(
                f"{path}.action.label", f"Length must be between 1 and {LIMITS.rich_menu_action_label}"
            )
        for field in ("text", "displayText", "fillInText"):
            value = action.get(field)
            if isinstance(value, str) and not 1 <= len(value) <= LIMITS.rich_menu_action_text:
                yield ValidationProblem(
                    f"{path}.action.{field}", f"Length must be between 1 and {LIMITS.rich_menu_action_text}"
                )


def image_size(data: bytes, content_type: str) -> tuple[int, int] | None:
    """(width, height) of a PNG or JPEG file read from its header; None when `data` is not one."""
    if content_type == "image/png":
        if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR" or len(data) < 24:
            return None
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if content_type == "image/jpeg" and data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The size in the first start-of-frame segment of a JPEG."""
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        length = int.from_bytes(data[index + 2 : index + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(data[index + 5 : index + 7], "big")
            width = int.from_bytes(data[index + 7 : index + 9], "big")
            return width, height
        index += 2 + length
    return None
