"""Answers and query parameters of the statistics endpoints."""

import marshmallow as ma

from app.common.fields import Rating

PROFILE_TYPES = {"lecturer": "lecturer", "customer": "customer", "consumer": "customer"}


class LectureRatingOut(ma.Schema):
    lecturer_id = ma.fields.Integer(required=True)
    lecture_id = ma.fields.Integer(required=True)
    avg_rating = Rating()
    reviews_count = ma.fields.Integer(required=True)


class LecturerRatingOut(ma.Schema):
    lecturer_id = ma.fields.Integer(required=True)
    avg_rating = Rating()
    reviews_count = ma.fields.Integer(required=True)


def _profile_type(value: str) -> None:
    if value.lower() not in PROFILE_TYPES:
        raise ma.ValidationError("lecturer or customer (consumer), in any case.")


class FinishedArgs(ma.Schema):
    type = ma.fields.String(
        required=True,
        validate=_profile_type,
        metadata={"enum": ["lecturer", "customer", "consumer", "Lecturer", "Customer", "Consumer"]},
    )


class ProfileFinishedOut(ma.Schema):
    profile_id = ma.fields.Integer(required=True)
    type = ma.fields.String(required=True, metadata={"enum": ["lecturer", "customer"]})
    finished = ma.fields.Integer(required=True)


class FinishedOut(ma.Schema):
    finished = ma.fields.Integer(required=True)
