"""User-facing text of the core (CLI, status pages, errors), Thai first, in one place.

Conversation replies live with their handlers' message builders; this module holds what the core
itself says to operators and visitors.
"""

from bot.postback import StartSearch, encode

SETUP_DONE = (
    "ฐานข้อมูลพร้อมใช้งาน: {regions} ภูมิภาค, {provinces} จังหวัด, 10Es {ten_es} ด้าน, "
    "การประชุม {meetings} ครั้ง, ข้อสั่งการ {directives} ข้อ"
)
SETUP_SEED_MEETING_NEW = "นำเข้าการประชุมตัวอย่าง (ครั้งที่ 3/2565) แล้ว"
SETUP_SEED_MEETING_KEPT = "การประชุมตัวอย่างมีอยู่แล้ว ไม่ได้นำเข้าซ้ำ"

SERVE_BANNER = "บอท สถ. ทำงานที่ {base}"
SERVE_HEALTH = "  ตรวจสถานะระบบ:  {base}/healthz"
SERVE_HOME = "  หน้าข้อมูล:       {base}/"
SERVE_NO_LINE = (
    "  ยังไม่ได้ตั้งค่าช่อง LINE (LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN): ยังไม่รับข้อความจาก LINE\n"
    '  ลองถามบอทได้จากอีกหน้าต่าง: .venv/bin/flask --app wsgi ask "ข้อสั่งการล่าสุด"'
)
SERVE_SCHEDULER = "  ตัวตั้งเวลา (scheduler) ทำงานในกระบวนการนี้"
SERVE_SIMULATOR = "  แชตจำลอง LINE:    {url}"
SERVE_EMULATOR = (
    "  ยังไม่ได้ตั้งค่าช่อง LINE (LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN): บอทคุยกับ LINE จำลองที่ {base}"
)
SERVE_EMULATOR_SEEDED = (
    "  ในโลกจำลองมีกลุ่มจังหวัด {groups} กลุ่มและเจ้าหน้าที่ {officials} คน: "
    "เผยแพร่การประชุมแบบส่งทันทีในหน้าผู้ดูแล แล้วดูสรุปเข้ากลุ่มในแชตจำลอง"
)
SERVE_EMULATOR_RICHMENU = "  ริชเมนู {areas} ปุ่มอยู่ใต้แชตส่วนตัวกับบอท (richmenu ใน config.yaml)"
SERVE_EMULATOR_NO_RICHMENU = "  ยังไม่ได้ติดตั้งริชเมนูใต้แชต: {error}"
SERVE_EMULATOR_NOT_SEEDED = "  ยังใส่กลุ่มตัวอย่างในฐานข้อมูลไม่ได้ ({error}): รัน .venv/bin/flask --app wsgi setup ก่อน"
SERVE_PORT_BUSY = "พอร์ต {port} ({what}) มีโปรแกรมอื่นใช้อยู่: ปิดโปรแกรมนั้น หรือเลือกพอร์ตอื่น เช่น {hint}"
SERVE_PORT_BOT = "ของบอท"
SERVE_PORT_EMULATOR = "ของ LINE จำลอง"
SERVE_HINT_MAKE_PORT = "make run PORT={port}"
SERVE_HINT_MAKE_EMULATOR = "make run EMULATOR_PORT={port}"
SERVE_HINT_CLI_PORT = "flask --app wsgi serve --port {port}"
SERVE_HINT_CLI_EMULATOR = "flask --app wsgi serve --emulator-port {port}"
SERVE_EMULATOR_PORT_BUSY = (
    "เปิด LINE จำลองที่พอร์ต {port} ไม่ได้ ({error}): เลือกพอร์ตอื่นด้วย --emulator-port หรือปิดด้วย --no-emulator"
)

DB_UNREACHABLE = "ติดต่อฐานข้อมูลไม่ได้: {error}"
DB_NOT_READY = "ฐานข้อมูลยังไม่พร้อม ({error}): รัน make setup (หรือ flask --app wsgi setup) ก่อน แล้วลองอีกครั้ง"
DB_AT_REVISION = "ฐานข้อมูลอยู่ที่รุ่น {revision} (ล่าสุด {head})"

ERROR_TITLES = {
    400: "คำขอไม่ถูกต้อง",
    403: "ไม่มีสิทธิ์เข้าถึง",
    404: "ไม่พบหน้าที่ต้องการ",
    405: "ไม่รองรับวิธีการเรียกนี้",
    413: "ข้อมูลที่ส่งมีขนาดใหญ่เกินไป",
    500: "ระบบขัดข้อง",
    503: "ระบบยังไม่พร้อมให้บริการ",
}
ERROR_HINT = "กรุณาลองใหม่อีกครั้ง หากยังพบปัญหา โปรดแจ้งผู้ดูแลระบบ"

# Cards shared by conversation and broadcasts (bot/cards.py).
CARD_MEETING = "การประชุม {body} {meeting}"
CARD_DEFAULT_BODY = "สถ."  # a meeting whose article names no body: the department's own
CARD_BODY_CHARS = 60  # a committee's full name can run to a line and a half: cut, with "…"
CARD_NUMBER = "ครั้งที่ {number} · "
CARD_DIRECTIVE_HEADER = "ข้อ {seq} · {meeting}"
CARD_READ_MORE = "อ่านต่อ"
CARD_ALT_DIRECTIVES = "{meeting}\n{items}"
CARD_ALT_ITEM = "{seq}. {title}"
CARD_NO_DATE = "ไม่ระบุวันที่"
CARD_DEADLINE = "กำหนด {date}"
CARD_ALT_DEADLINE = " (กำหนด {date})"
CARD_REPORT = "รายงานผล"

# The rich menu under officials' one-to-one chat (config.yaml `richmenu`; these are the defaults).
# Each tap sends a text the conversation understands; "ค้นหา" opens the keyboard with "ค้นหา " filled in.
RICHMENU_CHAT_BAR = "เมนู สถ."
RICHMENU_AREAS = (
    {"label": "ข้อสั่งการล่าสุด", "text": "ข้อสั่งการล่าสุด"},
    {"label": "ค้นหา", "text": "ค้นหา", "postback": encode(StartSearch()), "keyboard": "ค้นหา "},
    {"label": "10Es", "text": "10Es"},
    {"label": "ประชุมล่าสุด", "text": "ประชุมล่าสุด"},
    {"label": "งานที่ใกล้ครบกำหนด", "text": "งานที่ใกล้ครบกำหนด"},
    {"label": "วิธีใช้", "text": "วิธีใช้"},
)

# `flask --app wsgi richmenu deploy|status|delete` (bot/richmenu.py): one line each, never a traceback.
RICHMENU_NO_FONT = (
    "ไม่พบไฟล์ฟอนต์ภาษาไทย {path}: ติดตั้งด้วย apt-get install fonts-thai-tlwg "
    "หรือกำหนด richmenu.font_path ให้ชี้ไปที่ไฟล์ฟอนต์ .ttf ที่มีอยู่"
)
RICHMENU_BAD_FONT = "อ่านไฟล์ฟอนต์ {path} ไม่ได้ ({error}): กำหนด richmenu.font_path ให้ชี้ไปที่ไฟล์ฟอนต์ .ttf"
RICHMENU_IMAGE_TOO_LARGE = "ภาพเมนูใหญ่ {size:,} ไบต์ เกินที่ LINE รับ ({limit:,} ไบต์)"
RICHMENU_NO_TOKEN = "ยังไม่ได้ตั้งค่า LINE_CHANNEL_ACCESS_TOKEN: ตั้งค่าก่อนจึงจะจัดการเมนูใน LINE ได้"
RICHMENU_LINE_REFUSED = "LINE ไม่รับคำขอ{step} ({status}): {message}"
RICHMENU_LINE_UNREACHABLE = (
    "ติดต่อ LINE เพื่อ{step}ไม่ได้ ({error}): ตรวจ line.api_base_url และ line.data_api_base_url"
)
RICHMENU_STEP_LIST = "อ่านรายการเมนู"
RICHMENU_STEP_DEFAULT_GET = "อ่านเมนูหลัก"
RICHMENU_STEP_CREATE = "สร้างเมนู"
RICHMENU_STEP_UPLOAD = "อัปโหลดภาพเมนู"
RICHMENU_STEP_DEFAULT_SET = "ตั้งเป็นเมนูหลัก"
RICHMENU_STEP_DEFAULT_CANCEL = "ยกเลิกเมนูหลัก"
RICHMENU_STEP_ALIAS = "ตั้งชื่อแทนของเมนู"
RICHMENU_STEP_ALIAS_DELETE = "ลบชื่อแทนของเมนู"
RICHMENU_STEP_DELETE = "ลบเมนูเก่า"
RICHMENU_DEPLOYED = "ติดตั้งเมนู {id} ({areas} ปุ่ม) เป็นเมนูหลักแล้ว ชื่อแทน {alias}"
RICHMENU_REPLACED = "ลบเมนูเดิม {count} เมนู: {ids}"
RICHMENU_STATUS_DEFAULT = "เมนูหลัก: {id}"
RICHMENU_STATUS_NO_DEFAULT = "เมนูหลัก: ไม่มี"
RICHMENU_STATUS_ALIAS = "ชื่อแทน {alias}: {id}"
RICHMENU_STATUS_NO_ALIAS = "ชื่อแทน {alias}: ยังไม่มี"
RICHMENU_STATUS_MENU = '• {id} "{chat_bar}" {areas} ปุ่ม{default}'
RICHMENU_STATUS_IS_DEFAULT = " (เมนูหลัก)"
RICHMENU_STATUS_NONE = "ยังไม่มีเมนูชื่อ {name} ใน LINE: ติดตั้งด้วย flask --app wsgi richmenu deploy"
RICHMENU_DELETED = "ลบเมนู {count} เมนู{alias}"
RICHMENU_DELETED_ALIAS = " และชื่อแทน {alias}"
