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


class CheckboxesField(SelectMultipleField):
    """A multiple choice drawn as checkboxes (10E categories, regions)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ImportForm(FlaskForm):
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


class DirectiveForm(Form):
    seq = IntegerField(validators=[DataRequired(), NumberRange(min=1, max=999)])
    title = StringField("หัวข้อ", validators=[DataRequired(message="ใส่หัวข้อของข้อสั่งการ"), Length(max=255)])
    text = TextAreaField("เนื้อหา", validators=[DataRequired(message="ใส่เนื้อหาของข้อสั่งการ"), Length(max=20_000)])
    categories = CheckboxesField("หมวด 10Es", choices=[])
    remove = BooleanField("ลบข้อนี้")


class NewDirectiveForm(Form):
    title = StringField("หัวข้อ", validators=[Optional(), Length(max=255)])
    text = TextAreaField("เนื้อหา", validators=[Optional(), Length(max=20_000)])
    categories = CheckboxesField("หมวด 10Es", choices=[])


class MeetingForm(FlaskForm):
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


class PublishForm(FlaskForm):
    """The confirmation of a publish review: what was reviewed (`version`) is what gets published."""

    urgent = BooleanField("ส่งสรุปทันที (ไม่รอรอบส่ง)")
    no_directives = HiddenField()
    version = HiddenField(validators=[DataRequired()])


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token (and perhaps a hidden value)."""

    value = HiddenField()


class GroupProvinceForm(FlaskForm):
    province = SelectField("จังหวัด", coerce=int, validators=[DataRequired()])


def choices_of(rows: Any) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in rows]


class AccountForm(FlaskForm):
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
