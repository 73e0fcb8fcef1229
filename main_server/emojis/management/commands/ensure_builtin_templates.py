from django.core.management.base import BaseCommand

from emojis.builtin import builtin_templates_ensure


class Command(BaseCommand):
    help = "Create the built-in templates (Noto) if they do not exist yet. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--assets-dir", default=None)

    def handle(self, *args, **options):
        made = builtin_templates_ensure(assets_dir=options["assets_dir"])
        self.stdout.write(f"built-in templates created: {len(made)}")
