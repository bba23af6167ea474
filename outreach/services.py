"""Services a visit should consider, following from a household's reason codes."""

from __future__ import annotations

# the codes of the visit results (README "Visit results") with their Korean names
SERVICES: dict[str, str] = {
    "livelihood": "생계급여",
    "medical": "의료지원",
    "housing": "주거지원",
    "emergency": "긴급복지",
    "near_poor": "차상위",
    "education": "교육지원",
    "case_management": "통합사례관리",
    "food": "식품지원",
    "repairs": "집수리",
    "cleaning": "청소",
    "volunteer": "자원봉사",
    "counselling": "상담",
    "health": "건강관리",
}

# reason-code prefix → services, first match wins
SUGGESTED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("power_cutoff", ("emergency", "livelihood")),
    ("gas_cutoff", ("emergency", "repairs")),
    ("water_cutoff", ("emergency", "livelihood")),
    ("power_arrears", ("livelihood",)),
    ("gas_arrears", ("livelihood",)),
    ("water_arrears", ("livelihood",)),
    ("nhis_catastrophic", ("medical",)),
    ("nhis_arrears", ("medical", "livelihood")),
    ("nps_arrears", ("livelihood",)),
    ("housing_arrears", ("housing",)),
    ("job_loss", ("livelihood", "emergency")),
    ("telecom_arrears", ("counselling",)),
    ("credit_delinquency", ("counselling",)),
    ("benefit_ended", ("livelihood", "near_poor")),
    ("referrals", ("case_management",)),
    ("visits_confirmed", ("case_management",)),
    ("elderly_alone", ("food", "health")),
    ("living_alone", ("volunteer",)),
    ("any_disabled", ("health",)),
    ("single_parent", ("education", "livelihood")),
)


def suggested_services(reasons: list[str] | None) -> list[str]:
    """The service codes suggested by reason codes, in the order the reasons first ask for them."""
    found: list[str] = []
    for code in reasons or []:
        services = next((s for prefix, s in SUGGESTED if code.startswith(prefix)), ())
        found += [s for s in services if s not in found]
    return found


def service_label(code: str, lang: str = "ko") -> str:
    """A service's name on a sheet: Korean in ko, the code itself in en."""
    return code if lang == "en" else SERVICES[code]


SERVICE_CODES: dict[str, str] = {
    name.replace(" ", "").casefold(): code
    for code, korean in SERVICES.items()
    for name in (code, korean)
}


def service_code(text: str) -> str | None:
    """The service code of a code or a Korean name ('식품지원', 'food'); None if neither."""
    return SERVICE_CODES.get(text.replace(" ", "").casefold())
