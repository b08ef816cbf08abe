"""What the admin console says outside its templates (flash messages, CLI lines), Thai first."""

LOGIN_REQUIRED = "กรุณาเข้าสู่ระบบก่อน"
LOGIN_FAILED = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
LOGIN_TOO_MANY = "ลองเข้าสู่ระบบผิดหลายครั้งเกินไป กรุณารอสักครู่แล้วลองใหม่"
LOGGED_OUT = "ออกจากระบบแล้ว"
CSRF_TITLE = "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง"
CSRF_HINT = "กรุณาโหลดหน้าใหม่แล้วส่งแบบฟอร์มอีกครั้ง"

USERNAME_INVALID = "ชื่อผู้ใช้ต้องยาว 3–64 ตัว ใช้ได้เฉพาะ a-z, 0-9 และ . _ @ -"
USERNAME_TAKEN = "มีบัญชี {username} อยู่แล้ว"
USERNAME_UNKNOWN = "ไม่พบบัญชี {username}"
PASSWORD_TOO_SHORT = "รหัสผ่านต้องยาวอย่างน้อย {n} ตัวอักษร"
CLI_PASSWORD_PROMPT = "รหัสผ่าน"
CLI_CREATED = "สร้างบัญชี {username} (สิทธิ์ {role}) แล้ว"
CLI_PASSWORD_SET = "ตั้งรหัสผ่านใหม่ของ {username} แล้ว"
SERVE_CONSOLE = "  หน้าผู้ดูแล:      {base}/admin/"
SERVE_FIRST_ADMIN = (
    "  บัญชีผู้ดูแลแรก:  admin / {password}  (สร้างให้ครั้งเดียว: เปลี่ยนได้ด้วย flask --app wsgi admin password admin)"
)

MEETING_IMPORTED = "นำเข้าการประชุมแล้ว: ตรวจและแก้ไขผลการอ่านก่อนเผยแพร่"
MEETING_EXISTS = "บทความนี้เคยนำเข้าแล้ว: แสดงการประชุมที่มีอยู่"
MEETING_IMPORT_EMPTY = "กรุณาวางเนื้อหาบทความหรือใส่ URL อย่างใดอย่างหนึ่ง"
MEETING_SAVED = "บันทึกการแก้ไขแล้ว ({n} รายการ)"
MEETING_UNCHANGED = "ไม่มีอะไรเปลี่ยน"
MEETING_PUBLISHED = "เผยแพร่แล้ว สรุปการประชุมจะส่งเข้ากลุ่มจังหวัดตามรอบส่งถัดไป"
MEETING_PUBLISHED_URGENT = "เผยแพร่แล้ว กำลังส่งสรุปการประชุมเข้ากลุ่มจังหวัดทันที"
MEETING_ALREADY_PUBLISHED = "การประชุมนี้เผยแพร่ไปแล้ว"
FORM_INVALID = "ข้อมูลในแบบฟอร์มไม่ถูกต้อง โปรดตรวจช่องที่มีข้อความสีแดง"

GROUP_APPROVED = "อนุมัติกลุ่ม {name} แล้ว"
GROUP_NOT_PENDING = "กลุ่ม {name} ไม่ได้รออนุมัติ (หรือยังไม่ได้เลือกจังหวัด)"
GROUP_PROVINCE_CHANGED = "ย้ายกลุ่ม {name} ไปจังหวัด{province}แล้ว"
GROUP_DEACTIVATED = "ปิดการรับข่าวของกลุ่ม {name} แล้ว"
GROUP_REACTIVATED = "เปิดการรับข่าวของกลุ่ม {name} อีกครั้งแล้ว"
CHANGE_APPROVED = "อนุมัติให้กลุ่ม {name} เปลี่ยนไปรับข่าวจังหวัด{province}แล้ว"
CHANGE_REJECTED = "ไม่อนุมัติคำขอของกลุ่ม {name} ให้เปลี่ยนเป็นจังหวัด{province}"
CHANGE_ALREADY_DECIDED = "คำขอนี้ได้รับการพิจารณาไปแล้ว"

QUOTA_UNKNOWN = "ติดต่อ LINE ไม่ได้"
QUOTA_NOT_CONFIGURED = "ยังไม่ได้ตั้งค่าช่อง LINE"
QUOTA_UNLIMITED = "ไม่จำกัด"

GROUP_STATUS = {
    "pending": "รออนุมัติ/รอเลือกจังหวัด",
    "active": "รับข่าว",
    "left": "บอทออกจากกลุ่ม",
    "inactive": "ปิดโดยผู้ดูแล",
}
ROLE_NAMES = {"admin": "ผู้ดูแลระบบ", "editor": "ผู้แก้ไข", "viewer": "ผู้อ่าน"}
# A province's report on a directive ("รายงานผล"), and "not yet" on the follow-up board.
REPORT_STATUS = {
    "done": "ดำเนินการแล้ว",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "problem": "มีปัญหา",
}
REPORT_NONE = "ยังไม่รายงาน"
BROADCAST_STATUS = {
    "scheduled": "ตั้งเวลาไว้",
    "sending": "กำลังส่ง",
    "done": "ส่งครบแล้ว",
    "partially_failed": "ส่งไม่สำเร็จบางกลุ่ม",
    "cancelled": "ยกเลิกแล้ว",
    "missed": "พลาดเวลาส่ง",
}
BROADCAST_KIND = {
    "meeting_summary": "สรุปการประชุม",
    "directive": "ข้อสั่งการ",
    "text": "ข้อความแจ้งเตือน",
    "reminder": "เตือนก่อนกำหนด",
}
