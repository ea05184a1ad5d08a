"""Who is using the app and what they may do: roles from a small TOML file, users from the sign-in provider.

Sign-in is Streamlit's OpenID Connect login, switched on by an `[auth]` table in `.streamlit/secrets.toml`.
Without it the app is a single-user local tool and its one user, "local", is an administrator (the roles
file may say otherwise for a shared kiosk). The roles file names administrators and trainers by e-mail
address; everyone else who signs in is a practitioner.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from core.errors import SettingsError

LOCAL_USER = "local"


class Role(StrEnum):
    """What a user may do: practitioners ask; trainers also build briefs; administrators also manage."""

    PRACTITIONER = "practitioner"
    TRAINER = "trainer"
    ADMINISTRATOR = "administrator"


@dataclass(frozen=True)
class User:
    """The person at the keyboard: `user_id` owns their history and feedback."""

    user_id: str
    name: str
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMINISTRATOR

    @property
    def can_train(self) -> bool:
        return self.role in (Role.TRAINER, Role.ADMINISTRATOR)


@dataclass(frozen=True)
class Roles:
    """Role by e-mail address (lower case), and the role of the local user when sign-in is off."""

    by_email: Mapping[str, Role]
    local_role: Role = Role.ADMINISTRATOR

    def role_of(self, email: str) -> Role:
        return self.by_email.get(email.strip().lower(), Role.PRACTITIONER)


def load_roles(path: Path | None) -> Roles:
    """Roles from a TOML file (`administrators = [...]`, `trainers = [...]`, `local_role = "..."`)."""
    if path is None:
        return Roles({})
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"cannot read the roles file {path.name} ({exc}); fix CASEWISE_ROLES_FILE") from exc
    by_email: dict[str, Role] = {}
    for key, role in (("trainers", Role.TRAINER), ("administrators", Role.ADMINISTRATOR)):
        emails = data.get(key, [])
        if not isinstance(emails, list) or not all(isinstance(e, str) for e in emails):
            raise SettingsError(f"the roles file {path.name}: {key} must be a list of e-mail addresses")
        by_email.update({e.strip().lower(): role for e in emails})
    local = data.get("local_role", Role.ADMINISTRATOR.value)
    if local not in {r.value for r in Role}:
        raise SettingsError(
            f"the roles file {path.name}: local_role must be one of {', '.join(r.value for r in Role)}, got {local!r}"
        )
    return Roles(by_email, Role(local))


def signed_in_user(claims: Mapping[str, object], roles: Roles) -> User:
    """The user the identity provider vouched for (its e-mail claim, else its subject)."""
    email = str(claims.get("email") or "").strip().lower()
    ident = email or str(claims.get("sub") or "")
    name = str(claims.get("name") or email or ident)
    return User(ident, name, roles.role_of(email) if email else Role.PRACTITIONER)


def local_user(roles: Roles) -> User:
    """The single user of a local install with sign-in off."""
    return User(LOCAL_USER, "you (this computer)", roles.local_role)
