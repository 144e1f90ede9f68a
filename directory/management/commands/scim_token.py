from django.core.management.base import BaseCommand, CommandError

from directory.models import ScimToken
from directory.scim.tokens import create_token, revoke_token


class Command(BaseCommand):
    help = "Make, list or revoke the bearer tokens Microsoft Entra ID uses to provision people over SCIM."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Make a token; it is printed once and only its hash is kept.")
        create.add_argument("--name", required=True, help='What the token is for, e.g. "Entra ID production"')
        actions.add_parser("list", help="List the tokens (never their values).")
        revoke = actions.add_parser("revoke", help="Revoke a token at once.")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args, action, **options):
        if action == "create":
            token, raw = create_token(name=options["name"])
            self.stdout.write(f"Token {token.pk} ({token.name}). Copy it now: it is not shown again.\n{raw}")
        elif action == "list":
            for token in ScimToken.objects.all():
                state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "live"
                used = f"last used {token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never used"
                self.stdout.write(f"{token.pk}\t{token.prefix}…\t{token.name}\t{state}\t{used}")
        else:
            try:
                token = revoke_token(token_id=options["token_id"])
            except ScimToken.DoesNotExist as error:
                raise CommandError(f"There is no token {options['token_id']}.") from error
            self.stdout.write(f"Token {token.pk} ({token.name}) is revoked.")
