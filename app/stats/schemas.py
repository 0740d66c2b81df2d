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
    type = ma.fields.String(required=True, validate=ma.validate.OneOf(list(PROFILE_TYPES)))


class ProfileFinishedOut(Out):
    profile_id = ma.fields.Integer(required=True)
    type = ma.fields.String(required=True, metadata={"enum": ["lecturer", "customer"]})
    finished = ma.fields.Integer(required=True)


class FinishedOut(Out):
    finished = ma.fields.Integer(required=True)
