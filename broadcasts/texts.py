"""What broadcasts say, Thai first, in one place."""

from admin.console import texts as console_texts

ACK = "รับทราบ"
SUMMARY_HEADER = "สรุปการประชุม สถ. · {meeting}"
SUMMARY_BODY = 'ประธาน: {chair}\nข้อสั่งการ {count} ข้อ (เลื่อนดูการ์ดถัดไป) กด "รับทราบ" เมื่อกลุ่มได้รับแล้ว'
SUMMARY_ALT = "สรุปการประชุม สถ.: {title}\n{alt}"
SUMMARY_MORE_ALT = "สรุปการประชุม สถ. (ต่อ) ข้อสั่งการข้อ {first}–{last}\n{alt}"
DIRECTIVE_ALT = "ข้อสั่งการ สถ. ({meeting}): {title}"
REMINDER_LABEL = "แจ้งเตือน {days} วันก่อนกำหนด ({deadline}): {title}"
REMINDER_HEADER = "⏰ ใกล้ครบกำหนด · {meeting}"
REMINDER_BODY = 'จังหวัดของกลุ่มนี้ยังไม่ได้รายงานว่าดำเนินการแล้ว กด "รายงานผล" เพื่อแจ้งความคืบหน้า'
REMINDER_ALT = "⏰ ใกล้ครบกำหนด{deadline}: {title} กด รายงานผล เพื่อแจ้งความคืบหน้า"
MEETING_GONE = "การประชุมนี้ไม่ได้เผยแพร่แล้ว"
DIRECTIVE_GONE = "ข้อสั่งการนี้ไม่ได้เผยแพร่แล้ว"
ACKNOWLEDGED = "รับทราบแล้ว ขอบคุณครับ 🙏"
ACKNOWLEDGED_BEFORE = "กลุ่มนี้รับทราบข่าวนี้แล้วเมื่อ {when}"
ACK_UNKNOWN = "ไม่พบข่าวที่จะรับทราบ อาจเป็นข่าวที่ไม่ได้ส่งถึงกลุ่มนี้"
QUOTA_EXCEEDED = "โควตาข้อความ LINE ไม่พอ: ต้องใช้ประมาณ {cost:,} ข้อความ เหลือ {left:,} (ส่งได้ด้วย force)"
NO_TARGET = "ไม่มีกลุ่มที่ลงทะเบียนแล้วตรงกับเป้าหมายนี้"
NOT_CANCELLABLE = "ยกเลิกไม่ได้: ข่าวนี้เริ่มส่งแล้วหรือจบไปแล้ว (สถานะ {status})"
QUIET_HOURS = "อยู่ในช่วงงดส่ง {quiet} น.: ข่าวที่ไม่ด่วนส่งได้ตั้งแต่ {next} (ถ้าจำเป็นต้องส่งในช่วงนี้ให้เลือก ข่าวด่วน หรือ force)"
CORRECTION_NOTICE = "แก้ไขข้อมูลการประชุม {meeting}\nที่แก้ไข: {changes}\nพิมพ์ “ประชุมล่าสุด” เพื่อดูฉบับที่แก้ไขแล้ว"
FAILURE_NOT_IN_GROUP = "บอทไม่ได้อยู่ในกลุ่มนี้ หรือรหัสกลุ่มไม่ถูกต้อง: ตั้งกลุ่มเป็น “บอทออกจากกลุ่ม” แล้ว ไม่ส่งซ้ำ"
FAILURE_REFUSED = "LINE ไม่อนุญาตให้ส่ง (รหัส {status}): ตรวจการตั้งค่าช่อง LINE"
FAILURE_RATE = "LINE ให้รอก่อนส่งต่อ (ส่งถี่เกินไปหรือโควตาหมด): ส่งซ้ำภายหลังได้"
FAILURE_LINE_DOWN = "LINE ขัดข้องชั่วคราว (รหัส {status}): ส่งซ้ำได้"
FAILURE_NO_ANSWER = "LINE ไม่ตอบกลับ: ส่งซ้ำได้"
FAILURE_OTHER = "LINE ไม่รับข้อความ (รหัส {status}): ดูรายละเอียดในไฟล์ CSV"
UNKNOWN_REGION = "ไม่รู้จักภาค {name!r}"
UNKNOWN_PROVINCE = "ไม่รู้จักจังหวัด {name!r}"

# --- the console's broadcast pages (flash and form messages; labels are in the templates) ----------
NOT_RETRYABLE = "ส่งซ้ำไม่ได้: ส่งซ้ำได้เฉพาะข่าวที่ส่งจบแล้วและมีกลุ่มที่ส่งไม่สำเร็จ (สถานะ {status})"
NOTHING_TO_RETRY = "ไม่มีกลุ่มที่ส่งซ้ำได้: กลุ่มที่ส่งไม่สำเร็จออกจากระบบแล้ว หรือผ่านมานานเกินกว่าจะส่งซ้ำได้อย่างปลอดภัย"
CONSOLE_CREATED = "บันทึกการส่งข่าว #{id} แล้ว: {groups:,} กลุ่ม ส่ง{when}"
CONSOLE_CREATED_NOW = "ทันที (ภายในรอบตรวจถัดไปของระบบ)"
CONSOLE_CREATED_AT = "เวลา {when}"
CONSOLE_CANCELLED = "ยกเลิกการส่งข่าว #{id} แล้ว"
CONSOLE_CANCEL_CONFIRM = "ยกเลิกการส่งข่าว #{id} ถึง {target}?"
CONSOLE_CANCEL_WHEN = "กำหนดส่ง {when}: เมื่อยกเลิกแล้ว กลุ่มจะไม่ได้รับข่าวนี้ และย้อนกลับไม่ได้"
CONSOLE_CANCEL_BUTTON = "ยืนยันยกเลิกการส่ง"
CONSOLE_RETRYING = "ส่งซ้ำ {n:,} กลุ่มที่ไม่สำเร็จ: ระบบจะส่งในรอบตรวจถัดไป"
CONSOLE_RETRY_SKIPPED = " (ข้าม {n:,} กลุ่มที่ออกจากระบบแล้วหรือส่งซ้ำไม่ได้อย่างปลอดภัย)"
CONSOLE_LINE_ERROR = "ติดต่อ LINE ไม่ได้ ({status}): ยังไม่ได้บันทึกการส่งข่าว ลองใหม่อีกครั้ง"
CONSOLE_QUOTA_UNKNOWN = "ติดต่อ LINE ไม่ได้ ({status}): ไม่ทราบโควตาคงเหลือ"
CONSOLE_LINE_NOT_CONFIGURED = "ยังไม่ได้ตั้งค่าช่อง LINE: ไม่ทราบโควตา และข่าวจะยังส่งไม่ได้จนกว่าจะตั้งค่า"
CONSOLE_CONTENT_GONE = "แสดงตัวอย่างไม่ได้: {reason}"
FORM_PICK_MEETING = "เลือกการประชุมที่เผยแพร่แล้ว"
FORM_PICK_DIRECTIVE = "เลือกข้อสั่งการ"
FORM_TEXT_EMPTY = "พิมพ์ข้อความที่จะส่ง"
FORM_TEXT_TOO_LONG = "ข้อความยาวเกิน {limit:,} ตัวอักษร (LINE นับอีโมจิเป็น 2)"
FORM_PICK_REGIONS = "เลือกอย่างน้อยหนึ่งภาค"
FORM_PICK_PROVINCES = "เลือกอย่างน้อยหนึ่งจังหวัด"
FORM_PICK_TIME = "ใส่วันที่และเวลาที่จะส่ง"
FORM_TIME_PAST = "เวลาที่เลือกผ่านไปแล้ว"
FORM_INVALID = "ข้อมูลในแบบฟอร์มไม่ถูกต้อง โปรดตรวจช่องที่มีข้อความสีแดง"

# Shown by the console's own dashboard too, so they live in the core's console texts.
STATUS_NAMES = console_texts.BROADCAST_STATUS
KIND_NAMES = console_texts.BROADCAST_KIND
REPORT_STATUS_NAMES = console_texts.REPORT_STATUS
REPORT_NONE = console_texts.REPORT_NONE
DELIVERY_NAMES = {"pending": "รอส่ง", "sending": "กำลังส่ง", "delivered": "ส่งถึงแล้ว", "failed": "ไม่สำเร็จ"}
TARGET_ALL = "ทุกกลุ่ม"
TARGET_REGIONS = "ภาค: {names}"
TARGET_PROVINCES = "จังหวัด: {names}"
TARGET_GROUPS = "{n:,} กลุ่มที่ระบุ"
CSV_HEADER = (
    "จังหวัด",
    "ภาค",
    "ชื่อกลุ่ม",
    "LINE group id",
    "สถานะ",
    "จำนวนครั้งที่ส่ง",
    "เวลาส่ง (กรุงเทพฯ)",
    "เวลารับทราบ (กรุงเทพฯ)",
    "ข้อผิดพลาดล่าสุด",
)
OUTSIDE_PROVINCES = "บัญชีสำนักงานจังหวัดส่งข่าวได้เฉพาะกลุ่มในจังหวัดของตนเท่านั้น"
SENDER_DEPARTMENT = "สถ."
SENDER_SYSTEM = "ระบบ"

# --- the follow-up board (broadcasts/board_console.py) ----------------------------------------------
REPORT_OVERDUE = "เลยกำหนด"
REPORTS_CSV_HEADER = (
    "ข้อ",
    "ข้อสั่งการ",
    "กำหนด",
    "เลยกำหนด",
    "จังหวัด",
    "ภาค",
    "สถานะ",
    "เวลารายงาน (กรุงเทพฯ)",
    "ผู้รายงาน",
    "หมายเหตุ",
)

# --- the follow-up map (broadcasts/board_map.py) ----------------------------------------------------
MAP_STATUS_NAMES = {**REPORT_STATUS_NAMES, "none": REPORT_NONE, "no_group": "ไม่มีกลุ่มรับข่าว"}
MAP_LABEL = "แผนที่ประเทศไทย สถานะการรายงานผลรายจังหวัด: {counts}"
MAP_TITLE_DIRECTIVE = "แผนที่การรายงานผลของข้อนี้"
MAP_TITLE_MEETING = "แผนที่การรายงานผลทั้งการประชุม"
MAP_MEETING_RULE = "สีของจังหวัดคือสถานะที่ต้องติดตามที่สุดในข้อสั่งการทุกข้อของการประชุม ({order})"
MAP_CREDIT = "แผนที่: @svg-maps/thailand โดย Tae Noppakun Wongsrinoppakun จากงานของ MapSVG · CC BY 4.0"
