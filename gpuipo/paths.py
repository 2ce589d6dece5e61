"""Where the report's files are: the repository, its data package and configuration, and the build's
folders. Every layer may read these; nothing here depends on anything else."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
CONFIG = ROOT / "_config.yml"
BUILD = ROOT / "_build"
GENERATED = BUILD / "generated"   # files the chapters write as they run (ledgers, previews, published CSVs)
