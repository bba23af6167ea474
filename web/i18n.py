"""The interface's words in Korean (default) and English; `t(lang, key)` picks one.

Codes stay codes in storage (visit results, access-log actions); a person reads and chooses
their names, and times in Asia/Seoul with the zone stated.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from outreach.outcomes import OUTCOME_NAMES

LANGS = ("ko", "en")

STRINGS: dict[str, tuple[str, str]] = {
    "app": ("사각 — 위기가구 발굴", "sagak — households in crisis"),
    "login": ("로그인", "Log in"),
    "logout": ("로그아웃", "Log out"),
    "username": ("아이디", "User name"),
    "password": ("비밀번호", "Password"),
    "login_failed": ("아이디 또는 비밀번호가 올바르지 않습니다.", "Wrong user name or password."),
    "too_many": (
        "로그인 시도가 너무 많습니다. 잠시 후 다시 시도하세요.",
        "Too many attempts; try again later.",
    ),
    "ranked": ("위험 순위 목록", "Ranked list"),
    "compare": ("전날과 비교", "Nights compared"),
    "freshness": ("데이터 최신성·격리", "Data freshness & quarantine"),
    "model": ("모델 카드·공정성", "Model card & fairness"),
    "assignments": ("방문 대상", "Open assignments"),
    "sheet": ("방문 시트 내려받기", "Download the visit sheet"),
    "results": ("방문 결과 입력", "Record visit results"),
    "escalations": ("에스컬레이션", "Escalations"),
    "users": ("사용자", "Users"),
    "teams": ("팀", "Teams"),
    "access_log": ("접근 기록", "Access log"),
    "night": ("기준일", "Night"),
    "no_night": ("아직 게시된 목록이 없습니다.", "No night has been published yet."),
    "city": ("시군구", "City"),
    "team": ("읍면동 팀", "Team"),
    "tier": ("위험 등급", "Tier"),
    "tier_min": ("최소 등급", "Tier at least"),
    "reason": ("사유", "Reason"),
    "reasons": ("선정 사유", "Reasons"),
    "new_only": ("어제 이후 신규만", "New since last night only"),
    "exploration_only": ("탐색 선정만", "Exploration picks only"),
    "status": ("상태", "Status"),
    "all": ("전체", "All"),
    "assigned": ("배정", "Assigned"),
    "excluded": ("제외", "Excluded"),
    "sort": ("정렬", "Sort"),
    "sort_rank": ("위험 높은 순", "Highest risk first"),
    "sort_rank_desc": ("위험 낮은 순", "Lowest risk first"),
    "sort_team": ("팀·팀 내 순위", "Team, then team rank"),
    "apply": ("적용", "Apply"),
    "rank": ("순위", "Rank"),
    "score": ("점수", "Score"),
    "household": ("가구", "Household"),
    "household_key": ("가구키", "Household key"),
    "team_rank": ("팀 내 순위", "Team rank"),
    "exploration": ("탐색", "Exploration"),
    "new": ("신규", "New"),
    "excluded_reason": ("제외 사유", "Excluded because"),
    "previous": ("이전", "Previous"),
    "next": ("다음", "Next"),
    "page": ("쪽", "Page"),
    "of": ("/", "of"),
    "rows": ("가구", "households"),
    "features": ("특성", "Features"),
    "feature": ("특성", "Feature"),
    "value": ("값", "Value"),
    "unit": ("단위", "Unit"),
    "history": ("점수 이력", "Score history"),
    "outcomes": ("방문 결과 이력", "Outcome history"),
    "outcome": ("결과", "Result"),
    "visit_date": ("방문일", "Visit date"),
    "visited_by": ("방문자", "Visited by"),
    "assigned_date": ("배정일", "Assigned on"),
    "services": ("연계 서비스", "Services linked"),
    "reported_on": ("보고일", "Reported on"),
    "entered": ("신규 진입", "Entered"),
    "left": ("목록에서 빠짐", "Left"),
    "why": ("이유", "Why"),
    "feed": ("자료", "Feed"),
    "freshness_status": ("최신성", "Freshness"),
    "last_delivery": ("마지막 수신", "Last delivery"),
    "rows_loaded": ("적재 행", "Rows loaded"),
    "expected_next": ("다음 수신 예정", "Next due"),
    "top_reasons": ("주요 격리 사유", "Top quarantine reasons"),
    "rows_quarantined": ("격리 행", "Rows quarantined"),
    "file": ("파일", "File"),
    "message": ("메시지", "Message"),
    "champion": ("챔피언 모델", "Champion model"),
    "no_champion": (
        "학습된 모델이 없습니다 (기준 규칙 사용).",
        "No trained model (baseline in use).",
    ),
    "open_card": ("모델 카드 전체 보기", "Open the full model card"),
    "fairness": ("공정성 표", "Fairness table"),
    "record": ("저장", "Save"),
    "saved": (
        "저장되었습니다. 다음 야간 실행에 반영됩니다.",
        "Saved; the next nightly run takes it in.",
    ),
    "pending": (
        "입력한 결과 (다음 야간 실행 대기)",
        "Results entered (waiting for the next night)",
    ),
    "errors": ("입력 오류", "Errors"),
    "role": ("역할", "Role"),
    "disabled": ("사용 중지", "Disabled"),
    "disable": ("사용 중지", "Disable"),
    "enable": ("다시 사용", "Enable"),
    "reset": ("비밀번호 재설정", "Reset password"),
    "add_user": ("사용자 추가", "Add a user"),
    "new_password": ("새 비밀번호 (10자 이상)", "New password (10+ characters)"),
    "when": ("일시", "When"),
    "who": ("사용자", "Who"),
    "action": ("행위", "Action"),
    "what": ("대상", "What"),
    "older": ("이전 기록", "Older"),
    "capacity": ("방문 역량", "Capacity"),
    "spare_capacity": ("여유 방문", "Spare capacity"),
    "spare_explained": (
        "오늘 밤 배정하지 않고 남은 방문 (빈 역량 − 오늘 배정): 팀의 위험 기준 등급 이상인 가구가 "
        "부족했거나 배정할 가구가 더 없었습니다. 같은 시의 다른 팀에서 기준 이상 가구가 대기 중이면 "
        "방문을 그쪽으로 옮길 수 있습니다.",
        "Visits left unused tonight (free capacity − tonight's picks): the team had too few "
        "households at or above its risk floor, or no eligible household left. Where households "
        "at or above the floor wait in another team of the city, visits can be moved there.",
    ),
    "spare_not_recorded": (
        "이 기준일에는 여유 방문이 기록되지 않았습니다.",
        "This night was published before spare capacity was recorded.",
    ),
    "spare_total": ("여유 방문 합계", "Spare visits in all"),
    "spare_line": ("오늘 밤 여유 방문", "Spare visits tonight"),
    "spare_see": ("팀별 보기", "see the teams"),
    "teams_with_spare": ("개 팀", "teams"),
    "spare": ("여유", "Spare"),
    "free": ("빈 역량", "Free"),
    "picked": ("오늘 배정", "Picked tonight"),
    "risk_floor": ("위험 기준 등급", "Risk floor (tier)"),
    "below_floor": ("기준 미만 대기", "Eligible below the floor"),
    "waiting": ("기준 이상 대기", "Waiting at or above the floor"),
    "waiting_city": (
        "시 전체 기준 이상 미배정 가구",
        "households at or above their floor still unpicked in the city",
    ),
    "tonight": ("오늘 밤 방문 역량", "Visits tonight"),
    "why_full": ("열린 배정으로 모두 찼습니다", "all taken by open assignments"),
    "why_floor": (
        "위험 기준 등급 미만 가구만 남아 비워 두었습니다",
        "left free: only households below the risk floor are left",
    ),
    "why_none_eligible": (
        "배정할 수 있는 가구가 더 없습니다",
        "left free: no eligible household is left",
    ),
    "listed": ("목록 가구", "Listed"),
    "members": ("팀 사용자", "Team users"),
    "none": ("없음", "None"),
    "forbidden": ("접근 권한이 없습니다.", "You may not see this."),
    "not_found": ("찾을 수 없습니다.", "Not found."),
    "report": ("야간 보고서", "Night report"),
    "yes": ("예", "yes"),
    "no": ("아니오", "no"),
    "name": ("성명", "Name"),
    "phone": ("연락처", "Phone"),
    "address": ("주소", "Address"),
    "contact_notice": (
        "개인정보 포함 — 우리 팀 방문 대상만 표시되며 열람은 기록됩니다.",
        "Personal data — shown for your team's visits only; every view is logged.",
    ),
}


ACTION_NAMES: dict[str, tuple[str, str]] = {
    "sheet_download": ("방문 시트 내려받기", "downloaded the visit sheet"),
    "contact_view": ("연락처 열람", "viewed contact details"),
    "household_view": ("가구 정보 열람", "opened a household"),
    "result_entry": ("방문 결과 입력", "recorded a visit result"),
    "login": ("로그인", "logged in"),
    "login_failed": ("로그인 실패", "failed to log in"),
    "login_limited": ("로그인 제한", "login held back (too many attempts)"),
    "denied": ("접근 거부", "was refused access"),
    "logout": ("로그아웃", "logged out"),
    "user_add": ("사용자 추가", "added a user"),
    "user_disable": ("사용자 사용 중지", "disabled a user"),
    "user_enable": ("사용자 다시 사용", "enabled a user"),
    "user_reset": ("비밀번호 재설정", "reset a password"),
}

# what an action's target is, in words ({} is the target: a team's code for the sheets)
TARGET_WORDS: dict[str, tuple[str, str]] = {
    "sheet_download": ("{} 팀 방문 시트", "team {}'s visit sheet"),
    "contact_view": ("{} 팀 방문 대상 연락처", "contact details of team {}'s visits"),
    "household_view": ("가구 {}", "household {}"),
    "login_failed": ("아이디 {}", "user name {}"),
    "login_limited": ("아이디 {}", "user name {}"),
    "user_add": ("사용자 {}", "user {}"),
    "user_disable": ("사용자 {}", "user {}"),
    "user_enable": ("사용자 {}", "user {}"),
    "user_reset": ("사용자 {}", "user {}"),
}

SEOUL = ZoneInfo("Asia/Seoul")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def t(lang: str, key: str) -> str:
    """The text of `key` in `lang` (ko if unknown); the key itself if there is none."""
    return pick(lang, STRINGS.get(key), key)


def pick(lang: str, pair: tuple[str, str] | None, default: str) -> str:
    """The Korean or English half of `pair`; `default` without one."""
    if pair is None:
        return default
    return pair[1] if lang == "en" else pair[0]


def outcome_name(lang: str, code: str | None) -> str:
    """A result code's name in `lang` (위기 확인 for confirmed_crisis); unknown codes as they are."""
    return pick(lang, OUTCOME_NAMES.get(code or ""), code or "")


def action_name(lang: str, action: str) -> str:
    """An access-log action in words ('result_entry' → 방문 결과 입력)."""
    return pick(lang, ACTION_NAMES.get(action), action)


def local_time(text: str | None) -> str:
    """A stored UTC time (ISO 8601) in Asia/Seoul with its zone: '2026-12-02 16:19:58 KST'."""
    if not text:
        return ""
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return text
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M:%S KST")


def entry_text(lang: str, row: dict) -> str:
    """What an access-log row says the person did, in words, without internal file names."""
    action, target, detail = row.get("action"), row.get("target") or "", row.get("detail") or ""
    if action == "result_entry":
        return result_text(lang, target, detail)
    if action == "denied":
        return denied_text(lang, target)
    words = TARGET_WORDS.get(action or "")
    if words is None or not target:
        return " ".join(part for part in (target, detail) if part)
    text = pick(lang, words, "{}").format(target.removeprefix("sheets/").removesuffix(".xlsx"))
    if action == "contact_view":
        return text + contact_place(lang, detail)
    return f"{text} — {detail}" if detail else text  # already words: 'role team, team …'


def result_text(lang: str, target: str, detail: str) -> str:
    """'refused 2026-12-01 web_….csv' on '<team>/<key>' → '가구 <key>: 거부 (방문일 2026-12-01)'."""
    key = target.split("/")[-1]
    words = pick(lang, ("가구 {}: {}", "household {}: {}"), "{}: {}")
    return words.format(key, result_detail(lang, detail))


def result_detail(lang: str, detail: str | None) -> str:
    """A result entry's detail in words: 'refused 2026-12-01 web_….csv' → '거부 (방문일 2026-12-01)'."""
    parts = (detail or "").split()
    text = outcome_name(lang, parts[0]) if parts else ""
    visit = next((p for p in parts[1:] if ISO_DATE.match(p)), None)
    if visit:
        text += pick(lang, (" (방문일 {})", " (visited {})"), " ({})").format(visit)
    return text


def contact_place(lang: str, detail: str) -> str:
    """Where contacts were shown: ' — 팀 목록, 12가구' for '/team 12'."""
    path, _, count = detail.partition(" ")
    if path.startswith("/households/"):
        key = path.removeprefix("/households/")
        return pick(lang, (" — 가구 {} 화면", " — on household {}'s page"), "").format(key)
    pages = {
        "/team": ("방문 대상 목록", "the visit list"),
        "/team/results": ("결과 입력", "results"),
    }
    place = pick(lang, pages.get(path), path)
    return pick(lang, (" — {}, {}가구", " — {}, {} households"), "").format(place, count)


def denied_text(lang: str, target: str) -> str:
    """What was refused: another team's sheet, household or result, or a page."""
    kind, _, what = target.partition(" ")
    kinds = {
        "sheet": ("다른 팀 방문 시트 {}", "another team's visit sheet {}"),
        "household": ("다른 팀 가구 {}", "another team's household {}"),
        "result": ("다른 팀 가구 {}의 결과 입력", "a result for another team's household {}"),
    }
    if kind in kinds and what:
        return pick(lang, kinds[kind], "{}").format(what)
    return pick(lang, ("권한 없는 화면 {}", "a page not allowed: {}"), "{}").format(target)


EXCLUSIONS = {
    "deceased": ("사망", "deceased"),
    "moved_out": ("관할 밖 전출", "moved out of the area"),
    "escalated": (
        "2회 연락 불가: 시군구 사례관리 이관",
        "unreachable twice: with the city's case managers",
    ),
    "benefit_active": ("복지급여 수급 중", "receives a benefit"),
    "visited_recently": ("최근 60일 내 방문", "visited in the last 60 days"),
    "assigned": ("이미 배정됨", "already assigned"),
}


def exclusion_name(lang: str, code: str | None) -> str:
    """Why a household is not on tonight's list, in words (an unknown code as itself)."""
    if not code:
        return ""
    return pick(lang, EXCLUSIONS[code], code) if code in EXCLUSIONS else code


def page_helpers(lang: str) -> dict:
    """The functions every template calls, bound to the page's language."""
    return {
        "t": lambda key: t(lang, key),
        "outcome_name": lambda code: outcome_name(lang, code),
        "exclusion_name": lambda code: exclusion_name(lang, code),
        "action_name": lambda action: action_name(lang, action),
        "entry_text": lambda row: entry_text(lang, row),
        "result_detail": lambda detail: result_detail(lang, detail),
        "local_time": local_time,
    }
