"""The demo bank: three regions, two branches each, a dozen managers and the six demo accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Assignment, ContentDocument
from app.models.users import utcnow
from app.services import assignments, demo_grading, org
from app.services.users import UserData, create_user, find_by_email

DEMO_PASSWORD = "cartera-demo-2026"  # noqa: S105  (documented demo password; seeding refuses production)
BANK = "Banco Demo"
REGIONS = {
    "Norte": ("Bilbao Centro", "Santander Puerto"),
    "Centro": ("Madrid Castellana", "Toledo Zocodover"),
    "Sur": ("Sevilla Triana", "Málaga Alameda"),
}


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    roles: tuple[str, ...]
    description: str
    career_level: str | None = None
    unit: tuple[str, ...] = (BANK,)
    scope: tuple[str, ...] | None = None


DEMO_ACCOUNTS = (
    DemoAccount(
        "manager@demo.cartera",
        "Lucía Romero",
        ("manager",),
        "junior manager, Bilbao Centro",
        "junior",
        (BANK, "Norte", "Bilbao Centro"),
    ),
    DemoAccount(
        "manager2@demo.cartera",
        "Javier Ortega",
        ("manager",),
        "mid-level manager, Madrid Castellana",
        "mid",
        (BANK, "Centro", "Madrid Castellana"),
    ),
    DemoAccount("trainer@demo.cartera", "Carmen Vidal", ("trainer",), "trainer, whole bank", scope=(BANK,)),
    DemoAccount(
        "trainer2@demo.cartera", "Pablo Serrano", ("trainer",), "trainer, whole bank (second grader)", scope=(BANK,)
    ),
    DemoAccount(
        "trainer.north@demo.cartera",
        "Iñaki Goikoetxea",
        ("trainer",),
        "trainer, Norte region only",
        unit=(BANK, "Norte"),
        scope=(BANK, "Norte"),
    ),
    DemoAccount("hr@demo.cartera", "Andrés Molina", ("hr",), "HR, whole bank", scope=(BANK,)),
    DemoAccount(
        "hr.north@demo.cartera",
        "Itziar Etxeberria",
        ("hr",),
        "HR, Norte region only",
        unit=(BANK, "Norte"),
        scope=(BANK, "Norte"),
    ),
    DemoAccount("admin@demo.cartera", "Admin Cartera", ("admin",), "administrator"),
)

DEMO_MANAGERS = (
    ("Ane Zubiri", "junior", "Norte", "Bilbao Centro"),
    ("Mikel Arrieta", "mid", "Norte", "Santander Puerto"),
    ("Sara Gómez", "junior", "Norte", "Santander Puerto"),
    ("Pablo Fernández", "junior", "Centro", "Madrid Castellana"),
    ("Elena Ruiz", "mid", "Centro", "Toledo Zocodover"),
    ("Raúl Navarro", "junior", "Centro", "Toledo Zocodover"),
    ("Marta Iglesias", "mid", "Centro", "Madrid Castellana"),
    ("Rocío Morales", "junior", "Sur", "Sevilla Triana"),
    ("Antonio Delgado", "mid", "Sur", "Sevilla Triana"),
    ("Lola Castillo", "junior", "Sur", "Málaga Alameda"),
    ("Francisco Reyes", "mid", "Sur", "Málaga Alameda"),
    ("Nuria Campos", "junior", "Norte", "Bilbao Centro"),
)


def _email(name: str) -> str:
    plain = name.lower().translate(str.maketrans("áéíóúüñ", "aeiouun"))
    return plain.replace(" ", ".") + "@demo.cartera"


def seed() -> int:
    """Create whatever of the demo bank is missing; returns how many users were created."""
    for region, branches in REGIONS.items():
        for branch in branches:
            org.ensure_path((BANK, region, branch))
    accounts = list(DEMO_ACCOUNTS) + [
        DemoAccount(_email(name), name, ("manager",), f"{level} manager", level, (BANK, region, branch))
        for name, level, region, branch in DEMO_MANAGERS
    ]
    created = 0
    for account in accounts:
        if find_by_email(account.email) is not None:
            continue
        data = UserData(
            email=account.email,
            name=account.name,
            career_level=account.career_level,
            org_unit_id=org.ensure_path(account.unit).id,
            roles=set(account.roles),
            scope_unit_ids={org.ensure_path(account.scope).id} if account.scope else set(),
        )
        create_user(None, data, password=DEMO_PASSWORD)
        created += 1
    db.session.flush()
    _assign_demo_exercises()
    writers = [find_by_email(_email(name)) for name, *_rest in DEMO_MANAGERS]
    demo_grading.seed([*writers, find_by_email("manager2@demo.cartera"), find_by_email("manager@demo.cartera")])
    return created


# What the demo trainer has assigned: (exercise, target, org-unit path or career level, days to the due date)
DEMO_ASSIGNMENTS = (
    ("diagnostic-junior", "career_level", "junior", 14),
    ("diagnostic-mid", "career_level", "mid", 21),
    ("practice-ethics", "org_unit", (BANK, "Norte"), 7),
    ("scenario-confidential-request", "org_unit", (BANK,), 30),
)


def _assign_demo_exercises() -> None:
    """Once the content bank is loaded, the demo trainer's assignments exist (each made once)."""
    trainer = find_by_email("trainer@demo.cartera")
    for key, target, audience, days in DEMO_ASSIGNMENTS:
        exercise = db.session.scalar(
            select(ContentDocument).where(ContentDocument.kind == "exercise", ContentDocument.key == key)
        )
        if exercise is None or db.session.scalar(select(Assignment.id).where(Assignment.exercise_id == exercise.id)):
            continue
        assignments.assign(
            trainer,
            key,
            target,
            org_unit_id=org.ensure_path(audience).id if target == "org_unit" else None,
            career_level=audience if target == "career_level" else None,
            due_at=utcnow() + timedelta(days=days),
        )
