"""marshmallow fields for text a client sends."""

import marshmallow as ma


class Text(ma.fields.String):
    """A string the database can store: no NUL character, no lone surrogate."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ma.ValidationError("Must not contain a NUL character.")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ma.ValidationError("Must be valid Unicode text.") from None
        return text


class Email(Text):
    """An email address, checked by marshmallow's validator."""

    def __init__(self, **kwargs):
        super().__init__(validate=[ma.validate.Length(max=254), ma.validate.Email()], **kwargs)
