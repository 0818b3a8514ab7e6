"""Rating rules as data, and the pure rating engine (no Django, no I/O beyond reading the rule
files, no clock). One YAML file per legal document in data/; docs/rules.md maps every rule to
its article and says what is NOT_FOUND and how the engine treats it."""

from .cases import (
    CaseInputError,
    case_from_json,
    rate_json,
    rate_one,
    result_to_json,
    result_to_text,
)
from .engine import (
    NOT_IN_SCOPE,
    AmbiguousRulesError,
    Case,
    CriterionPoints,
    GroupPoints,
    ItemPoints,
    Result,
    Score,
    operated_months,
    propose_item,
    rate,
    rules_for,
)
from .loader import DATA_DIR, RulesError, available, load_all, load_file, load_rules, parse
from .model import NOT_FOUND, NOT_RATED, RuleSet

__all__ = [
    "DATA_DIR",
    "NOT_FOUND",
    "NOT_IN_SCOPE",
    "NOT_RATED",
    "AmbiguousRulesError",
    "Case",
    "CaseInputError",
    "CriterionPoints",
    "GroupPoints",
    "ItemPoints",
    "Result",
    "RuleSet",
    "RulesError",
    "Score",
    "available",
    "case_from_json",
    "load_all",
    "load_file",
    "load_rules",
    "operated_months",
    "parse",
    "propose_item",
    "rate",
    "rate_json",
    "rate_one",
    "result_to_json",
    "result_to_text",
    "rules_for",
]
