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
PROVINCE_UNKNOWN = "ไม่รู้จักจังหวัด '{name}'{hint}"
PROVINCE_HINT = " หมายถึง {names} หรือไม่"
PROVINCE_REQUIRED = "บัญชีสำนักงานจังหวัดต้องระบุจังหวัดอย่างน้อยหนึ่งจังหวัด (--province)"
PROVINCE_ONLY_FOR_OFFICES = "ระบุจังหวัดได้เฉพาะบัญชีสำนักงานจังหวัด (--role province)"
ACCOUNT_CREATED = "สร้างบัญชี {username} ({role}) แล้ว"
ACCOUNTS_TITLE = "บัญชีผู้ใช้"
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
MEETING_NOT_PUBLISHED = "การประชุมนี้ยังไม่ได้เผยแพร่"
UNPUBLISH_TITLE = "ยกเลิกการเผยแพร่ “{title}”?"
UNPUBLISH_LINES = (
    "บอทจะไม่ตอบเรื่องการประชุมนี้และข้อสั่งการของการประชุมนี้อีก ตั้งแต่ตอนนี้",
    "สรุปการประชุมหรือข้อสั่งการที่ตั้งเวลาไว้และยังไม่ได้ส่ง จะถูกยกเลิก",
    "ข้อความที่ส่งถึงกลุ่มไปแล้วเรียกคืนไม่ได้ การประชุมกลับเป็นฉบับร่างและเผยแพร่ใหม่ได้",
)
UNPUBLISH_BUTTON = "ยืนยันยกเลิกการเผยแพร่"
MEETING_NOT_READY = "ยังเผยแพร่ไม่ได้: แก้ไขช่องที่มีข้อความสีแดงก่อน"
MEETING_CHANGED_SINCE_REVIEW = "การประชุมถูกแก้ไขหลังจากที่ตรวจ: โปรดตรวจอีกครั้งก่อนเผยแพร่"
MEETING_UNPUBLISHED = "ยกเลิกการเผยแพร่แล้ว: บอทไม่ตอบเรื่องนี้แล้ว และยกเลิกข่าวที่ยังไม่ได้ส่ง"
MEETING_CORRECTED_NOTICE = " และตั้งเวลาส่งข้อความแจ้งการแก้ไขถึงกลุ่มที่ได้รับสรุปแล้ว (ดูที่หน้าส่งข่าว)"
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
ROLE_NAMES = {
    "admin": "ผู้ดูแลระบบ",
    "editor": "ผู้แก้ไข",
    "viewer": "ผู้อ่าน",
    "province": "สำนักงานจังหวัด",
}
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

# --- the audit log, in words (admin/console/audit_view.py) ---------------------------------------
AUDIT_ACTIONS = {
    "login": "เข้าสู่ระบบ",
    "login.failed": "เข้าสู่ระบบไม่สำเร็จ",
    "logout": "ออกจากระบบ",
    "admin.create": "สร้างบัญชีผู้ดูแล",
    "admin.password": "ตั้งรหัสผ่านใหม่",
    "meeting.import": "นำเข้าการประชุม",
    "meeting.edit": "แก้ไขการประชุม (ฉบับร่าง)",
    "meeting.correct": "แก้ไขการประชุมที่เผยแพร่แล้ว",
    "meeting.publish": "เผยแพร่การประชุม",
    "meeting.unpublish": "ยกเลิกการเผยแพร่การประชุม",
    "broadcast.create": "ตั้งเวลาส่งข่าว",
    "broadcast.cancel": "ยกเลิกการส่งข่าว",
    "broadcast.retry": "ส่งซ้ำกลุ่มที่ไม่สำเร็จ",
    "broadcast.postpone": "เลื่อนการส่งข่าวพ้นช่วงงดส่ง",
    "reminder.skipped": "ไม่ได้ส่งการเตือนก่อนกำหนด",
    "groups.import": "นำเข้ารายชื่อกลุ่ม",
    "group.register": "ลงทะเบียนกลุ่มกับจังหวัด",
    "group.unsubscribe": "ยกเลิกการรับข่าวของกลุ่ม",
    "group.approve": "อนุมัติกลุ่ม",
    "group.deactivate": "ปิดการรับข่าวของกลุ่ม",
    "group.reactivate": "เปิดการรับข่าวของกลุ่มอีกครั้ง",
    "group.province": "ย้ายกลุ่มไปจังหวัดอื่น",
    "group.change_request": "สมาชิกขอเปลี่ยนจังหวัดของกลุ่ม",
    "group.change_approved": "อนุมัติคำขอเปลี่ยนจังหวัด",
    "group.change_rejected": "ไม่อนุมัติคำขอเปลี่ยนจังหวัด",
}
AUDIT_DETAILS = {
    "changed": "ที่แก้ไข",
    "notify": "แจ้งกลุ่มที่ได้รับแล้ว",
    "urgent": "ส่งสรุปทันที",
    "no_directives": "ไม่มีข้อสั่งการ",
    "source_url": "ที่มา",
    "kind": "ประเภท",
    "target": "ส่งถึง",
    "groups": "จำนวนกลุ่ม",
    "cost": "ค่าข้อความ",
    "forced": "สั่งส่งแม้ติดเงื่อนไข",
    "quota_exceeded": "เกินโควตา",
    "quiet_hours": "ส่งในช่วงงดส่ง",
    "reason": "เหตุผล",
    "days": "วันก่อนกำหนด",
    "meeting_id": "การประชุม #",
    "deliveries": "จำนวนที่ส่งซ้ำ",
    "skipped": "ข้าม",
    "until": "เลื่อนไปเป็น",
    "before": "เดิม",
    "after": "ใหม่",
    "province": "จังหวัด",
    "province_id": "จังหวัด",
    "requested": "จังหวัดที่ขอ",
    "status": "สถานะ",
    "member": "สมาชิก",
    "request": "คำขอ #",
    "username": "ชื่อผู้ใช้",
    "role": "สิทธิ์",
    "provinces": "จังหวัด",
    "created": "เพิ่มใหม่",
    "updated": "ปรับปรุง",
    "unchanged": "ไม่เปลี่ยน",
}
AUDIT_VALUES = {
    **GROUP_STATUS,
    **ROLE_NAMES,
    **BROADCAST_KIND,
    "all": "ทุกกลุ่ม",
    "regions": "เลือกภาค",
    "provinces": "เลือกจังหวัด",
    "groups": "กลุ่มที่ระบุ",
    "meeting_unpublished": "การประชุมถูกยกเลิกการเผยแพร่",
}
AUDIT_ACTORS = {"cli": "บรรทัดคำสั่ง", "api": "API", "scheduler": "ระบบตั้งเวลา"}
AUDIT_LINE_ACTOR = "{name} (ทาง LINE)"
AUDIT_FEED_ACTOR = "ฟีดข่าว {name}"
AUDIT_UNKNOWN_LINE_USER = "ผู้ใช้ LINE ที่ไม่ทราบชื่อ"
AUDIT_TARGET_MEETING = "การประชุม “{title}” (#{id})"
AUDIT_TARGET_BROADCAST = "การส่งข่าว #{id}"
AUDIT_TARGET_GROUP = "กลุ่ม {name}"
AUDIT_TARGET_GROUPS = "กลุ่ม LINE"
AUDIT_TARGET_ADMIN = "บัญชี {name}"
AUDIT_UNNAMED_GROUP = "(ไม่มีชื่อ)"
AUDIT_DELETED = "(ถูกลบแล้ว)"
AUDIT_YES = "ใช่"
AUDIT_NO = "ไม่"
