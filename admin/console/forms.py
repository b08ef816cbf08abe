"""The console's forms (WTForms through Flask-WTF: every form carries its CSRF token)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

# WTForms' own messages (a date that is not a date, a choice not offered...), in Thai: it ships no Thai
# translation, and an administrator must never meet "Not a valid date value.". A message not listed
# here stays as WTForms wrote it; tests/admin/test_forms.py fails when a field we use has one.
_THAI_MESSAGES: dict[str, str] = {
    "Not a valid date value.": "วันที่ไม่ถูกต้อง: เลือกวันจากปฏิทิน",
    "Not a valid time value.": "เวลาไม่ถูกต้อง: ใส่เป็น ชั่วโมง:นาที เช่น 09:30",
    "Not a valid datetime value.": "วันเวลาไม่ถูกต้อง",
    "Not a valid week value.": "สัปดาห์ไม่ถูกต้อง",
    "Not a valid integer value.": "ต้องเป็นตัวเลขจำนวนเต็ม",
    "Not a valid decimal value.": "ต้องเป็นตัวเลข",
    "Not a valid float value.": "ต้องเป็นตัวเลข",
    "Not a valid choice.": "ตัวเลือกนี้ไม่มีให้เลือก",
    "Invalid Choice: could not coerce.": "ตัวเลือกนี้ไม่มีให้เลือก",
    "Invalid choice(s): one or more data inputs could not be coerced.": "มีตัวเลือกที่ไม่มีให้เลือก",
    "'%(value)s' is not a valid choice for this field.": "'%(value)s' ไม่มีให้เลือก",
    "'%(value)s' are not valid choices for this field.": "'%(value)s' ไม่มีให้เลือก",
    "This field is required.": "ต้องกรอกช่องนี้",
    "Field must be at least %(min)d character long.": "ต้องยาวอย่างน้อย %(min)d ตัวอักษร",
    "Field must be at least %(min)d characters long.": "ต้องยาวอย่างน้อย %(min)d ตัวอักษร",
    "Field cannot be longer than %(max)d character.": "ยาวได้ไม่เกิน %(max)d ตัวอักษร",
    "Field cannot be longer than %(max)d characters.": "ยาวได้ไม่เกิน %(max)d ตัวอักษร",
    "Field must be exactly %(max)d character long.": "ต้องยาว %(max)d ตัวอักษรพอดี",
    "Field must be exactly %(max)d characters long.": "ต้องยาว %(max)d ตัวอักษรพอดี",
    "Field must be between %(min)d and %(max)d characters long.": "ต้องยาว %(min)d–%(max)d ตัวอักษร",
    "Number must be at least %(min)s.": "ต้องไม่น้อยกว่า %(min)s",
    "Number must be at most %(max)s.": "ต้องไม่เกิน %(max)s",
    "Number must be between %(min)s and %(max)s.": "ต้องอยู่ระหว่าง %(min)s ถึง %(max)s",
    "Invalid URL.": "ลิงก์ไม่ถูกต้อง: ต้องขึ้นต้นด้วย http:// หรือ https://",
    "Invalid input.": "ข้อมูลไม่ถูกต้อง",
    "The CSRF token is missing.": "แบบฟอร์มหมดอายุ: โหลดหน้านี้ใหม่แล้วลองอีกครั้ง",
    "The CSRF token is invalid.": "แบบฟอร์มหมดอายุ: โหลดหน้านี้ใหม่แล้วลองอีกครั้ง",
    "The CSRF token has expired.": "แบบฟอร์มหมดอายุ: โหลดหน้านี้ใหม่แล้วลองอีกครั้ง",
    "The CSRF tokens do not match.": "แบบฟอร์มหมดอายุ: โหลดหน้านี้ใหม่แล้วลองอีกครั้ง",
}


class ThaiTranslations:
    """What WTForms asks of a translations object, answering in Thai."""

    def gettext(self, message: str) -> str:
        return _THAI_MESSAGES.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _THAI_MESSAGES.get(singular if n == 1 else plural, singular if n == 1 else plural)


THAI = ThaiTranslations()


class ConsoleForm(FlaskForm):
    """Every console form: Flask-WTF's CSRF token, and WTForms' own messages in Thai."""

    class Meta:
        def get_translations(self, form: Any) -> ThaiTranslations:
            return THAI


class SubForm(Form):
    """A form inside a console form (a directive of a meeting), its WTForms messages in Thai too."""

    class Meta:
        def get_translations(self, form: Any) -> ThaiTranslations:
            return THAI


class CheckboxesField(SelectMultipleField):
    """A multiple choice drawn as checkboxes (10E categories, regions)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ImportForm(ConsoleForm):
    text = TextAreaField("วางเนื้อหาบทความ", validators=[Optional()])
    url = URLField(
        "หรือ URL ของบทความ",
        validators=[
            Optional(),
            Regexp(r"(?i)^https?://", message="URL ต้องขึ้นต้นด้วย http:// หรือ https://"),
            URL(require_tld=False),
            Length(max=2048),
        ],
    )


class DirectiveForm(SubForm):
    seq = IntegerField(validators=[DataRequired(), NumberRange(min=1, max=999)])
    title = StringField("หัวข้อ", validators=[DataRequired(message="ใส่หัวข้อของข้อสั่งการ"), Length(max=255)])
    text = TextAreaField("เนื้อหา", validators=[DataRequired(message="ใส่เนื้อหาของข้อสั่งการ"), Length(max=20_000)])
    categories = CheckboxesField("หมวด 10Es", choices=[])
    deadline = DateField("กำหนดเสร็จ (เว้นว่างถ้าไม่มี)", validators=[Optional()])
    remove = BooleanField("ลบข้อนี้")


class NewDirectiveForm(SubForm):
    title = StringField("หัวข้อ", validators=[Optional(), Length(max=255)])
    text = TextAreaField("เนื้อหา", validators=[Optional(), Length(max=20_000)])
    categories = CheckboxesField("หมวด 10Es", choices=[])


class MeetingForm(ConsoleForm):
    title = StringField("ชื่อเรื่อง", validators=[DataRequired(message="ใส่ชื่อเรื่อง"), Length(max=2000)])
    date = DateField("วันที่ประชุม", validators=[Optional()])
    number = StringField(
        "ครั้งที่ (เช่น 3/2565)",
        validators=[Optional(), Regexp(r"^\d{1,3}/\d{4}$", message="ใช้รูปแบบ ครั้ง/ปี พ.ศ. เช่น 3/2565")],
    )
    chair = StringField("ประธาน", validators=[Optional(), Length(max=500)])
    directives = FieldList(FormField(DirectiveForm))
    new = FormField(NewDirectiveForm)
    no_directives = BooleanField("เผยแพร่โดยไม่มีข้อสั่งการ (การประชุมนี้ไม่มีข้อสั่งการ)")
    # A published meeting: tell the groups that received it what was corrected.
    notify = BooleanField("ส่งข้อความแจ้งการแก้ไขถึงกลุ่มที่ได้รับสรุปแล้ว (ระบุว่าแก้ไขอะไร)")

    def set_categories(self, choices: list[tuple[str, str]]) -> None:
        for entry in self.directives:
            entry.form.categories.choices = choices
        self.new.form.categories.choices = choices


class PublishForm(ConsoleForm):
    """The confirmation of a publish review: what was reviewed (`version`) is what gets published."""

    urgent = BooleanField("ส่งสรุปทันที (ไม่รอรอบส่ง)")
    no_directives = HiddenField()
    version = HiddenField(validators=[DataRequired()])


class ActionForm(ConsoleForm):
    """A button that changes something: only its CSRF token (and perhaps a hidden value)."""

    value = HiddenField()


class GroupProvinceForm(ConsoleForm):
    province = SelectField("จังหวัด", coerce=int, validators=[DataRequired()])


def choices_of(rows: Any) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in rows]


class AccountForm(ConsoleForm):
    """A new console account; a provincial office's names its provinces as people write them."""

    username = StringField("ชื่อผู้ใช้", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("รหัสผ่าน (อย่างน้อย 10 ตัว)", validators=[DataRequired(), Length(max=1024)])
    role = SelectField(
        "สิทธิ์",
        choices={"viewer": "ผู้อ่าน", "editor": "ผู้แก้ไข", "admin": "ผู้ดูแลระบบ", "province": "สำนักงานจังหวัด"},
        default="viewer",
    )
    provinces = StringField(
        "จังหวัด (เฉพาะสำนักงานจังหวัด; หลายจังหวัดคั่นด้วยจุลภาค)", validators=[Optional(), Length(max=500)]
    )

    def province_names(self) -> list[str]:
        text = (self.provinces.data or "").replace("\n", ",")
        return [name.strip() for name in text.split(",") if name.strip()]
