"""Answers and query parameters of the statistics endpoints."""

import marshmallow as ma

from app.common.fields import Rating
from app.common.schemas import Out

# The spellings of `type` that are taken, and the profile kind each means.
PROFILE_TYPES = {
    "lecturer": "lecturer", "Lecturer": "lecturer",
    "customer": "customer", "Customer": "customer",
    "consumer": "customer", "Consumer": "customer",
}  # fmt: skip


class LectureRatingOut(Out):
    lecturer_id = ma.fields.Integer(required=True)
    lecture_id = ma.fields.Integer(required=True)
    avg_rating = Rating()
    reviews_count = ma.fields.Integer(required=True)


class LecturerRatingOut(Out):
    lecturer_id = ma.fields.Integer(required=True)
    avg_rating = Rating()
    reviews_count = ma.fields.Integer(required=True)


class FinishedArgs(ma.Schema):
    # Documented with the two spellings a client should send: enums whose values differ only
    # in case give client generators clashing names.
    type = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf(list(PROFILE_TYPES)),
        metadata={
            "enum": ["lecturer", "customer"],
            "description": "lecturer or customer; also taken: Lecturer, Customer, consumer and "
            "Consumer.",
        },
    )


class ProfileFinishedOut(Out):
    profile_id = ma.fields.Integer(required=True)
    type = ma.fields.String(required=True, metadata={"enum": ["lecturer", "customer"]})
    finished = ma.fields.Integer(required=True)


class FinishedOut(Out):
    finished = ma.fields.Integer(required=True)
