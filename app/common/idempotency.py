"""Safe retries: a POST sent again with the same Idempotency-Key answers as the first did."""

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import Response, request
from flask_login import current_user
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.errors import ApiError
from app.extensions import db
from app.models import IdempotencyKey
from app.models.base import utcnow

HEADER = "Idempotency-Key"
KEY_FORMAT = re.compile(r"[\x21-\x7e]{1,255}")
LIFETIME = timedelta(hours=24)
ABANDONED_AFTER = timedelta(seconds=30)  # gunicorn.conf.py's timeout
HEADER_DOC = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "description": "Any 1–255 visible ASCII characters. A repeat within 24 hours answers as "
    "the first call did and creates nothing; the same key with another body is a 409.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[!-~]+$"},
}


def _claim(user_id: int, key: str, request_hash: str) -> IdempotencyKey | Response:
    """Take the key for this call, or return the answer remembered for it.

    The claim is committed at once, so that a simultaneous call with the same key finds it
    (through the unique constraint) and is refused instead of running twice.
    """
    endpoint = request.endpoint
    # The user's expired keys go first: this one may be reused, and the table stays small.
    db.session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id,
            IdempotencyKey.created_at < utcnow() - LIFETIME,
        )
    )
    claim = IdempotencyKey(user_id=user_id, endpoint=endpoint, key=key, request_hash=request_hash)
    db.session.add(claim)
    try:
        db.session.commit()
        return claim
    except IntegrityError:
        db.session.rollback()
    earlier = db.session.scalars(
        select(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id,
            IdempotencyKey.endpoint == endpoint,
            IdempotencyKey.key == key,
        )
    ).one()
    if earlier.request_hash != request_hash:
        raise ApiError.conflict(f"This {HEADER} was used with another body.")
    if earlier.status_code is not None:
        return Response(earlier.response_body, earlier.status_code, mimetype="application/json")
    if not _take_over(earlier):
        raise ApiError.conflict(f"A call with this {HEADER} is still running.")
    return earlier


def _take_over(claim: IdempotencyKey) -> bool:
    """Take a claim whose call died without an answer (say, with the database down).

    No call outlives gunicorn's timeout, so a claim that has waited longer has nobody
    behind it; the conditional UPDATE lets only one of several retries take it.
    """
    taken = db.session.execute(
        update(IdempotencyKey)
        .where(
            IdempotencyKey.id == claim.id,
            IdempotencyKey.status_code.is_(None),
            IdempotencyKey.created_at < utcnow() - ABANDONED_AFTER,
        )
        .values(created_at=utcnow())
    )
    db.session.commit()
    return taken.rowcount == 1


def idempotent(view: Callable) -> Callable:
    """Make a creating view safe to retry; only a 201 is remembered.

    The view leaves the commit to this wrapper, which commits what the view created
    together with the answer remembered for the key: either both are stored or neither.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            response = view(*args, **kwargs)
            db.session.commit()
            return response
        if not KEY_FORMAT.fullmatch(key):
            raise ApiError.bad_request(f"{HEADER} must be 1–255 visible ASCII characters.")
        request_hash = hashlib.sha256(request.get_data()).hexdigest()
        claim = _claim(current_user.id, key, request_hash)
        if isinstance(claim, Response):
            return claim
        try:
            response = view(*args, **kwargs)
            claim.status_code = response.status_code
            claim.response_body = response.get_data(as_text=True)
            db.session.commit()
        except Exception:
            db.session.rollback()
            _release(claim.id)
            raise
        return response

    return wrapper


def _release(claim_id: int) -> None:
    """Forget a claim whose call did not create anything, so it can be retried."""
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == claim_id))
    db.session.commit()


def purge_expired_keys() -> int:
    """Delete the keys older than their 24 hours (`flask purge`); how many."""
    return db.session.execute(
        delete(IdempotencyKey)
        .where(IdempotencyKey.created_at < utcnow() - LIFETIME)
        .execution_options(synchronize_session=False)
    ).rowcount
