"""Staff accounts for tests: one password, one way to make a user (shared by every suite)."""

from django.contrib.auth import get_user_model

PASSWORD = "un mot de passe solide"


def make_user(email: str, first_name: str | None = None):
    """A user who logs in with this e-mail and PASSWORD (first name from the e-mail if none)."""
    return get_user_model().objects.create_user(
        username=email,
        email=email,
        password=PASSWORD,
        first_name=email.split("@")[0].title() if first_name is None else first_name,
    )
