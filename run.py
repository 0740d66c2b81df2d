"""Development server: applies the migrations, then serves on http://127.0.0.1:5000/."""

import os

from flask_migrate import upgrade

from app import create_app
from config import DevConfig


def main() -> None:
    app = create_app(DevConfig)
    with app.app_context():
        upgrade()
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "5000")))


if __name__ == "__main__":
    main()
