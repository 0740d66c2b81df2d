"""Answers and query parameters of the statistics endpoints."""

import marshmallow as ma

from app.common.fields import Rating

# The spellings of `type` that are taken, and the profile kind each means.
PROFILE_TYPES = {
    "lecturer": "lecturer", "Lecturer": "lecturer",
    "customer": "customer", "Customer": "customer",
    "consumer": "customer", "Consumer": "customer",
}  # fmt: skip


class LectureRatingOut(ma.Schema):
    lecturer_id = ma.fields.Integer(required=True)
    lecture_id = ma.fields.Integer(required=True)
    avg_rating = Rating()
    reviews_count = ma.fields.Integer(required=True)


class LecturerRatingOut(ma.Schema):
    lecturer_id = ma.fields.Integer(required=True)
    avg_rating = Rating()
    reviews_count = ma.fields.Integer(required=True)


class FinishedArgs(ma.Schema):
    type = ma.fields.String(required=True, validate=ma.validate.OneOf(list(PROFILE_TYPES)))


class ProfileFinishedOut(ma.Schema):
    profile_id = ma.fields.Integer(required=True)
    type = ma.fields.String(required=True, metadata={"enum": ["lecturer", "customer"]})
    finished = ma.fields.Integer(required=True)


class FinishedOut(ma.Schema):
    finished = ma.fields.Integer(required=True)
