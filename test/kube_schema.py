# SPDX-License-Identifier: LGPL-2.1-or-later
"""A check of Kubernetes objects against the API's own models, those of Debian's
python3-kubernetes (kubernetes.client.models, made from the API's OpenAPI schema): every field
of an object must be one its model has (by its JSON name), of the model's type (a string, an
integer, a boolean, a list or map of those, or another model), and every field the model
requires must be there (the model's constructor refuses None for those)."""
import re

import kubernetes.client as kc

KINDS = {
    ("v1", "Pod"): "V1Pod",
    ("v1", "Service"): "V1Service",
    ("v1", "PersistentVolumeClaim"): "V1PersistentVolumeClaim",
    ("v1", "Secret"): "V1Secret",
    ("v1", "ConfigMap"): "V1ConfigMap",
    ("apps/v1", "Deployment"): "V1Deployment",
}


def _required(cls):
    """The fields (Python names) the model's constructor refuses to leave None."""
    req = []
    for attr in cls.openapi_types:
        try:
            obj = cls.__new__(cls)
            obj.local_vars_configuration = kc.Configuration()
            setattr(obj, attr, None)
        except ValueError:
            req.append(attr)
        except Exception:
            pass
    return req


_REQ_CACHE = {}


def check_value(value, typ, path, errors):
    if typ == "object":
        # int-or-string (targetPort) and free-form fields
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            if not isinstance(value, (dict, list)):
                errors.append(f"{path}: {value!r} is neither a string nor a number")
        return
    m = re.fullmatch(r"list\[(.*)\]", typ)
    if m:
        if not isinstance(value, list):
            errors.append(f"{path}: a list was expected, not {value!r}")
            return
        for i, v in enumerate(value):
            check_value(v, m.group(1), f"{path}[{i}]", errors)
        return
    m = re.fullmatch(r"dict\(str, (.*)\)", typ)
    if m:
        if not isinstance(value, dict):
            errors.append(f"{path}: a map was expected, not {value!r}")
            return
        for k, v in value.items():
            if not isinstance(k, str):
                errors.append(f"{path}: the key {k!r} is not a string")
            check_value(v, m.group(1), f"{path}.{k}", errors)
        return
    if typ == "str":
        if not isinstance(value, str):
            errors.append(f"{path}: a string was expected, not {value!r}")
        return
    if typ == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append(f"{path}: an integer was expected, not {value!r}")
        return
    if typ == "bool":
        if not isinstance(value, bool):
            errors.append(f"{path}: a boolean was expected, not {value!r}")
        return
    if typ == "datetime":
        if not isinstance(value, str):
            errors.append(f"{path}: a time was expected, not {value!r}")
        return
    cls = getattr(kc, typ, None)
    if cls is None:
        errors.append(f"{path}: the model {typ} is unknown")
        return
    check_model(value, cls, path, errors)


def check_model(obj, cls, path, errors):
    if not isinstance(obj, dict):
        errors.append(f"{path}: a {cls.__name__} object (a map) was expected, not {obj!r}")
        return
    by_json = {j: a for a, j in cls.attribute_map.items()}
    for key, value in obj.items():
        attr = by_json.get(key)
        if attr is None:
            errors.append(f"{path}.{key}: {cls.__name__} has no field {key}")
            continue
        check_value(value, cls.openapi_types[attr], f"{path}.{key}", errors)
    if cls not in _REQ_CACHE:
        _REQ_CACHE[cls] = _required(cls)
    for attr in _REQ_CACHE[cls]:
        if cls.attribute_map[attr] not in obj:
            errors.append(f"{path}: {cls.__name__} requires {cls.attribute_map[attr]}")


def check_object(doc):
    """The problems of one document, a list of messages (empty: it passes)."""
    errors = []
    if not isinstance(doc, dict):
        return [f"the document is not a map: {doc!r}"]
    name = KINDS.get((doc.get("apiVersion"), doc.get("kind")))
    if name is None:
        return [f"apiVersion {doc.get('apiVersion')!r} kind {doc.get('kind')!r} is no kind this check knows"]
    check_model(doc, getattr(kc, name), doc["kind"], errors)
    meta = doc.get("metadata", {})
    if not meta.get("name"):
        errors.append(f"{doc['kind']}: metadata.name is missing")
    elif not re.fullmatch(r"[a-z]([-a-z0-9]{0,61}[a-z0-9])?", meta["name"]):
        errors.append(f"{doc['kind']}: metadata.name {meta['name']!r} is not a DNS-1035 label")
    return errors
