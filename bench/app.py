"""The portal's app with the benchmark's command: `flask --app bench.app bench-seed`."""

from bench.cli import bench_seed
from portal import create_app

app = create_app()
app.cli.add_command(bench_seed)
