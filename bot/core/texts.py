"""Every user-facing string, in Arabic (default) and English.

Keeping them here lets a translator or editor review the bot's whole voice
in one file. Placeholders are filled with already-escaped HTML by callers.
"""

from __future__ import annotations

from typing import Final

DEFAULT_LANG: Final = "ar"

MONTHS: Final = {
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}

TEXTS: Final[dict[str, dict[str, str]]] = {
    "alert.header": {"ar": "🔴 <b>عاجل</b> | {source}", "en": "🔴 <b>BREAKING</b> | {source}"},
    "alert.read_more": {"ar": "اقرأ الخبر كاملًا", "en": "Read the full story"},
    "alert.time": {"ar": "🕒 {day} {month} {year}، {hm} ({tz})", "en": "🕒 {day} {month} {year}, {hm} ({tz})"},
    "alert.more_topics": {"ar": "و{n} غيرها", "en": "and {n} more"},
    "alert.also": {"ar": "📰 أيضًا: {sources}", "en": "📰 Also: {sources}"},
    "alert.also_sep": {"ar": "، ", "en": ", "},
    # --- conversation -------------------------------------------------------
    "welcome": {
        "ar": "أهلًا بك في <b>بوت عاجل</b> 🔴\nأرسل لك الأخبار العاجلة عن المواضيع التي تتابعها فور نشرها.\nاختر موضوعًا من الأزرار، أو أضف ما تريد: <code>/add الملف النووي</code>",
        "en": "Welcome to <b>Ajel</b> 🔴\nI push breaking news about the topics you follow the moment it is published.\nPick a topic below, or add your own: <code>/add nuclear deal</code>",
    },
    "welcome_back": {
        "ar": "أنت مشترك بالفعل ✅ مواضيعك: {topics}\nأرسل /help لمعرفة الأوامر.",
        "en": "You are already subscribed ✅ Your topics: {topics}\nSend /help for the commands.",
    },
    # /help is built from COMMANDS (one line per command) plus this header and tip.
    "help.header": {"ar": "<b>الأوامر</b>", "en": "<b>Commands</b>"},
    "help.tip": {
        "ar": "ضع الموضوع بين علامتي تنصيص لمطابقة الكلمة حرفيًا: <code>/add \"عمان\"</code>",
        "en": "Quote a topic to match that exact word: <code>/add \"Oman\"</code>",
    },
    "not_subscribed": {"ar": "لست مشتركًا بعد. أرسل /start للاشتراك.", "en": "You are not subscribed yet. Send /start to subscribe."},
    "added": {"ar": "✅ أُضيف: {topics}", "en": "✅ Added: {topics}"},
    "excluded": {"ar": "🚫 سيتم تجاهل الأخبار التي تحتوي: {topics}", "en": "🚫 News containing these will be ignored: {topics}"},
    "removed": {"ar": "🗑 حُذف: {topic}", "en": "🗑 Removed: {topic}"},
    "not_found": {"ar": "لا يوجد موضوع بهذا الاسم في قائمتك: {topic}", "en": "No such topic in your list: {topic}"},
    "cleared": {"ar": "🗑 حُذفت كل المواضيع ({n}).", "en": "🗑 All topics removed ({n})."},
    "no_topics": {"ar": "لا مواضيع لديك بعد. أضف موضوعًا: <code>/add غزة</code>", "en": "You have no topics yet. Add one: <code>/add Gaza</code>"},
    "topics_list": {"ar": "<b>مواضيعك ({n}):</b>\n{topics}", "en": "<b>Your topics ({n}):</b>\n{topics}"},
    "topics.settings": {"ar": "⚙️ ساعات الهدوء: {quiet}؛ الصوت: {sound}. للتغيير: /settings", "en": "⚙️ Quiet hours: {quiet}; sound: {sound}. To change: /settings"},
    "excludes_list": {"ar": "<b>كلمات مستبعدة:</b> {words}", "en": "<b>Excluded words:</b> {words}"},
    "all_on": {"ar": "🔔 ستصلك كل الأخبار العاجلة أيًا كان موضوعها.", "en": "🔔 You will receive every breaking item, whatever the topic."},
    "all_off": {"ar": "🔕 ستصلك فقط الأخبار العاجلة المطابقة لمواضيعك.", "en": "🔕 You will only receive breaking news matching your topics."},
    "paused": {"ar": "⏸ أوقفت التنبيهات مؤقتًا. أرسل /resume لاستئنافها.", "en": "⏸ Alerts paused. Send /resume to resume."},
    "resumed": {"ar": "▶️ استؤنفت التنبيهات.", "en": "▶️ Alerts resumed."},
    "stopped": {"ar": "👋 أُلغي اشتراكك وحُذفت بياناتك. أرسل /start متى شئت للعودة.", "en": "👋 Unsubscribed and your data deleted. Send /start any time to come back."},
    "sources": {"ar": "<b>المصادر التي نتابعها:</b>\n{sources}", "en": "<b>Feeds we follow:</b>\n{sources}"},
    "no_sources": {"ar": "لا توجد مصادر مُعدّة بعد.", "en": "No feeds are configured yet."},
    "offer_topic": {"ar": "هل تريد متابعة «{topic}»؟", "en": "Follow «{topic}»?"},
    "btn_follow": {"ar": "✅ تابِع", "en": "✅ Follow"},
    "btn_cancel": {"ar": "إلغاء", "en": "Cancel"},
    "btn_remove": {"ar": "🗑 {topic}", "en": "🗑 {topic}"},
    "cancelled": {"ar": "حسنًا، لم أُضف شيئًا.", "en": "OK, nothing added."},
    "button_expired": {"ar": "انتهت صلاحية هذا الزر، أعد المحاولة.", "en": "This button has expired; please try again."},
    "done": {"ar": "تم ✅", "en": "Done ✅"},
    "admins_only": {"ar": "في المجموعات، يغيّر المشرفون فقط المواضيع والإعدادات.", "en": "In groups, only admins can change the topics and settings."},
    "unknown_command": {"ar": "لا أعرف هذا الأمر. أرسل /help لقائمة الأوامر.", "en": "I don't know that command. Send /help for the list."},
    "error": {"ar": "عذرًا، حدث خطأ غير متوقع. حاول مرة أخرى بعد قليل.", "en": "Sorry, something went wrong. Please try again shortly."},
    "usage_add": {"ar": "اكتب الموضوع بعد الأمر، مثل: <code>/add الملف النووي</code>", "en": "Write the topic after the command, e.g. <code>/add nuclear deal</code>"},
    "usage_remove": {"ar": "اكتب الموضوع بعد الأمر، مثل: <code>/remove غزة</code>، أو استخدم /topics", "en": "Write the topic after the command, e.g. <code>/remove Gaza</code>, or use /topics"},
    "usage_exclude": {"ar": "اكتب الكلمة بعد الأمر، مثل: <code>/exclude كرة القدم</code>", "en": "Write the word after the command, e.g. <code>/exclude football</code>"},
    "usage_test": {"ar": "اكتب نص الخبر بعد الأمر، مثل: <code>/test عاجل: انفجار في ميناء بيروت</code>", "en": "Write a headline after the command, e.g. <code>/test BREAKING: blast in Beirut port</code>"},
    "err_empty": {"ar": "الموضوع فارغ.", "en": "The topic is empty."},
    "err_too_long": {"ar": "الموضوع طويل جدًا ({n} حرفًا؛ الحد {max}).", "en": "The topic is too long ({n} characters; the limit is {max})."},
    "err_too_many": {"ar": "بلغت الحد الأقصى ({max} موضوعًا). احذف موضوعًا أولًا عبر /topics.", "en": "You reached the limit ({max} topics). Remove one first with /topics."},
    "err_duplicate": {"ar": "«{topic}» موجود في قائمتك بالفعل.", "en": "«{topic}» is already in your list."},
    "err_nothing": {"ar": "«{topic}» لا يحتوي حروفًا أو أرقامًا يمكن مطابقتها.", "en": "«{topic}» has no letters or digits to match."},
    "test_breaking": {"ar": "🔴 عاجل — القاعدة: {reason}", "en": "🔴 Breaking — rule: {reason}"},
    "test_not_breaking": {"ar": "⚪ ليس خبرًا عاجلًا (لا توجد علامة «عاجل» في موضع العلامة).", "en": "⚪ Not breaking (no «عاجل» marker where outlets put it)."},
    "test_matches": {"ar": "المواضيع المطابقة:\n{matches}", "en": "Matching topics:\n{matches}"},
    "test_no_match": {"ar": "لا يطابق أيًّا من مواضيعك.", "en": "It matches none of your topics."},
    "test_vetoed": {"ar": "لم يُعدّ مطابقًا (معنى آخر):\n{lines}", "en": "Not counted (another sense of the word):\n{lines}"},
    "test_story": {"ar": "📰 الخبر نفسه الذي نُبّه إليه من «{source}»: {headline}\n(لن يصلك تنبيه جديد؛ يُعدَّل التنبيه السابق)", "en": "📰 The same story already alerted from «{source}»: {headline}\n(no new alert: the earlier one is edited)"},
    "test_excluded": {"ar": "🚫 يحتوي كلمة مستبعدة: {words}", "en": "🚫 Contains an excluded word: {words}"},
    "stats": {
        "ar": "<b>الإحصاءات</b>\nالمحادثات النشطة: {chats}\nالمواضيع: {topics}\nطابور الإرسال: {pending}\nتنبيهات تعذّر إرسالها: {failed}\nزمن الوصول (آخر 24 ساعة): الوسيط {p50}، المئين 95: {p95}\n\n<b>المصادر</b>\n{feeds}",
        "en": "<b>Stats</b>\nActive chats: {chats}\nTopics: {topics}\nOutbox: {pending}\nAlerts that could not be sent: {failed}\nDelay (last 24 h): median {p50}, p95 {p95}\n\n<b>Feeds</b>\n{feeds}",
    },
    "items_skipped": {"ar": "(تعذّرت قراءة {n} من عناصره)", "en": "({n} items unreadable)"},
    "utc_time": {"ar": "{when} بتوقيت غرينتش", "en": "{when} UTC"},
    "http_error": {"ar": "خطأ HTTP {code}", "en": "HTTP {code}"},
    "seconds": {"ar": "{n} ث", "en": "{n} s"},
    # --- /settings ----------------------------------------------------------
    "settings": {
        "ar": "<b>⚙️ الإعدادات</b>\n🌙 ساعات الهدوء: {quiet}\n🕒 المنطقة الزمنية: {zone}\n🔔 الصوت: {sound}\n🔗 معاينة الروابط: {previews}\n📝 طول التنبيه: {length}\n🌐 اللغة: {lang}",
        "en": "<b>⚙️ Settings</b>\n🌙 Quiet hours: {quiet}\n🕒 Time zone: {zone}\n🔔 Sound: {sound}\n🔗 Link previews: {previews}\n📝 Alert length: {length}\n🌐 Language: {lang}",
    },
    "settings.quiet_menu": {
        "ar": "<b>🌙 ساعات الهدوء</b> (بتوقيت {zone})\nالآن: {quiet}\nاختر الساعات، وماذا يحدث للتنبيهات خلالها.",
        "en": "<b>🌙 Quiet hours</b> ({zone} time)\nNow: {quiet}\nPick the hours, and what happens to alerts during them.",
    },
    "settings.tz_menu": {
        "ar": "<b>🕒 المنطقة الزمنية</b>\nالآن: {zone}\nاختر مدينة، أو اكتب اسمًا آخر: <code>/settings tz Europe/London</code>",
        "en": "<b>🕒 Time zone</b>\nNow: {zone}\nPick a city, or type another name: <code>/settings tz Europe/London</code>",
    },
    "settings.off": {"ar": "مُطفأة", "en": "off"},
    "settings.quiet_silent": {"ar": "{hours} (تصل صامتة)", "en": "{hours} (alerts arrive silently)"},
    "settings.quiet_hold": {"ar": "{hours} (تُجمع في ملخص عند انتهائها)", "en": "{hours} (held for one summary when they end)"},
    "settings.sound_on": {"ar": "مع كل تنبيه", "en": "with every alert"},
    "settings.sound_off": {"ar": "صامتة دائمًا", "en": "always silent"},
    "settings.previews_on": {"ar": "تظهر", "en": "on"},
    "settings.previews_off": {"ar": "مخفية", "en": "off"},
    "settings.lead": {"ar": "العنوان والمقدمة", "en": "headline and lead"},
    "settings.head": {"ar": "العنوان فقط", "en": "headline only"},
    "settings.lang_ar": {"ar": "العربية", "en": "Arabic"},
    "settings.lang_en": {"ar": "الإنجليزية", "en": "English"},
    "settings.lang_client": {"ar": "{lang} (لغة تطبيقك)", "en": "{lang} (your app's language)"},
    "settings.tz_set": {"ar": "🕒 المنطقة الزمنية الآن: {zone}", "en": "🕒 Time zone is now {zone}"},
    "settings.tz_unknown": {
        "ar": "لا أعرف المنطقة الزمنية «{zone}». اكتب اسمًا مثل <code>/settings tz Europe/London</code> أو <code>/settings tz Asia/Riyadh</code>.",
        "en": "I don't know the time zone «{zone}». Write a name such as <code>/settings tz Europe/London</code> or <code>/settings tz Asia/Riyadh</code>.",
    },
    "settings.usage": {"ar": "أرسل /settings لفتح الإعدادات، أو <code>/settings tz Europe/London</code>.", "en": "Send /settings to open the settings, or <code>/settings tz Europe/London</code>."},
    "settings.saved": {"ar": "حُفظ ✅", "en": "Saved ✅"},
    "btn.quiet": {"ar": "🌙 ساعات الهدوء", "en": "🌙 Quiet hours"},
    "btn.zone": {"ar": "🕒 المنطقة الزمنية", "en": "🕒 Time zone"},
    "btn.sound_off": {"ar": "🔕 اجعلها صامتة دائمًا", "en": "🔕 Always silent"},
    "btn.sound_on": {"ar": "🔔 بصوت", "en": "🔔 With sound"},
    "btn.previews_on": {"ar": "🔗 أظهر معاينة الروابط", "en": "🔗 Show link previews"},
    "btn.previews_off": {"ar": "🔗 أخفِ معاينة الروابط", "en": "🔗 Hide link previews"},
    "btn.head": {"ar": "📝 العنوان فقط", "en": "📝 Headline only"},
    "btn.lead": {"ar": "📝 العنوان والمقدمة", "en": "📝 Headline and lead"},
    "btn.lang_en": {"ar": "🌐 English", "en": "🌐 English"},
    "btn.lang_ar": {"ar": "🌐 العربية", "en": "🌐 العربية"},
    "btn.quiet_off": {"ar": "بلا ساعات هدوء", "en": "No quiet hours"},
    "btn.quiet_silent": {"ar": "🔕 صامتة خلالها", "en": "🔕 Silent during them"},
    "btn.quiet_hold": {"ar": "📥 ملخص عند انتهائها", "en": "📥 One summary after"},
    "btn.ring": {"ar": "🔔 مواضيع ترنّ رغم الهدوء ({n})", "en": "🔔 Topics that ring anyway ({n})"},
    "settings.ring_menu": {
        "ar": "<b>🔔 مواضيع ترنّ رغم ساعات الهدوء</b>\nتنبيهات هذه المواضيع تصل بصوت وفورًا حتى أثناء ساعات الهدوء. اضغط موضوعًا للتبديل.",
        "en": "<b>🔔 Topics that ring anyway</b>\nAlerts on these topics come at once and with sound, even during quiet hours. Tap a topic to switch.",
    },
    "settings.ring_none": {"ar": "لا مواضيع لديك بعد. أضف موضوعًا: <code>/add غزة</code>", "en": "You have no topics yet. Add one: <code>/add Gaza</code>"},
    "btn.back": {"ar": "↩️ رجوع", "en": "↩️ Back"},
    "summary.header": {"ar": "🌅 <b>ما فاتك أثناء ساعات الهدوء ({n})</b>", "en": "🌅 <b>While your quiet hours were on ({n})</b>"},
    "summary.link": {"ar": "الرابط", "en": "link"},
    "zone.Asia/Riyadh": {"ar": "الرياض", "en": "Riyadh"},
    "zone.Africa/Cairo": {"ar": "القاهرة", "en": "Cairo"},
    "zone.Asia/Beirut": {"ar": "بيروت", "en": "Beirut"},
    "zone.Asia/Baghdad": {"ar": "بغداد", "en": "Baghdad"},
    "zone.Asia/Dubai": {"ar": "دبي", "en": "Dubai"},
    "zone.Africa/Casablanca": {"ar": "الرباط", "en": "Rabat"},
    "zone.Africa/Algiers": {"ar": "الجزائر", "en": "Algiers"},
    "zone.Africa/Tunis": {"ar": "تونس", "en": "Tunis"},
    "zone.Africa/Khartoum": {"ar": "الخرطوم", "en": "Khartoum"},
    "zone.Asia/Amman": {"ar": "عمّان", "en": "Amman"},
    "zone.Asia/Qatar": {"ar": "الدوحة", "en": "Doha"},
    "zone.Asia/Kuwait": {"ar": "الكويت", "en": "Kuwait"},
    "admin_only": {"ar": "هذا الأمر للمشرفين على البوت فقط.", "en": "This command is for the bot's operators only."},
}

RULES: Final = {
    "feed_all": {"ar": "مصدر عاجل فقط", "en": "breaking-only feed"},
    "category": {"ar": "تصنيف «عاجل»", "en": "breaking category"},
    "title_prefix": {"ar": "العنوان يبدأ بـ«عاجل»", "en": "title starts with the marker"},
    "title_suffix": {"ar": "العنوان ينتهي بـ«| عاجل»", "en": "title ends with «| عاجل»"},
    "title_hashtag": {"ar": "وسم #عاجل في العنوان", "en": "#عاجل hashtag in the title"},
    "body_first_line": {"ar": "السطر الأول «عاجل»", "en": "first line is the marker"},
    "link_path": {"ar": "الرابط في قسم «عاجل» بالموقع", "en": "the link is in the site's breaking section"},
}

PRESET_TOPICS: Final = ("الملف النووي", "غزة", "إيران", "سعر الدولار", "الاقتصاد")

# Per command: the menu description (setMyCommands) and the /help line, per
# language. The command registry (bot/telegram/commands.py) decides which
# commands exist and in what order; a command without an entry here fails a test.
COMMANDS: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "start": {"ar": ("الاشتراك وبدء الاستخدام", ""), "en": ("Subscribe", "")},
    "add": {
        "ar": ("إضافة موضوع", "/add موضوع — إضافة موضوع (أو عدة مواضيع مفصولة بسطر جديد أو «،»)"),
        "en": ("Add a topic", "/add topic — add a topic (several: one per line or separated by «،»)"),
    },
    "remove": {"ar": ("حذف موضوع", "/remove موضوع — حذف موضوع"), "en": ("Remove a topic", "/remove topic — remove a topic")},
    "topics": {"ar": ("مواضيعك", "/topics — مواضيعك مع أزرار الحذف"), "en": ("Your topics", "/topics — your topics, with remove buttons")},
    "exclude": {
        "ar": ("استبعاد كلمة", "/exclude كلمة — تجاهل الأخبار التي تحتوي كلمة"),
        "en": ("Exclude a word", "/exclude word — ignore news containing a word"),
    },
    "clear": {"ar": ("حذف كل المواضيع", "/clear — حذف كل المواضيع"), "en": ("Remove all topics", "/clear — remove all topics")},
    "all": {
        "ar": ("كل الأخبار العاجلة (تشغيل/إيقاف)", "/all — تلقي كل الأخبار العاجلة أيًا كان موضوعها (تشغيل/إيقاف)"),
        "en": ("Every breaking item (on/off)", "/all — receive every breaking item, whatever the topic (on/off)"),
    },
    "pause": {
        "ar": ("إيقاف مؤقت", "/pause و /resume — إيقاف التنبيهات مؤقتًا ثم استئنافها"),
        "en": ("Pause alerts", "/pause and /resume — pause alerts, then resume"),
    },
    "resume": {"ar": ("استئناف", ""), "en": ("Resume alerts", "")},
    "sources": {"ar": ("المصادر", "/sources — المصادر التي نتابعها"), "en": ("Feeds", "/sources — the feeds we follow")},
    "test": {
        "ar": ("اختبار نص", "/test نص — هل يُعد هذا النص عاجلًا، وأي مواضيعك يطابق"),
        "en": ("Test a headline", "/test text — would this text count as breaking, and which of your topics match"),
    },
    "settings": {
        "ar": ("الإعدادات", "/settings — ساعات الهدوء، المنطقة الزمنية، الصوت، معاينة الروابط، طول التنبيه واللغة"),
        "en": ("Settings", "/settings — quiet hours, time zone, sound, link previews, alert length and language"),
    },
    "help": {"ar": ("المساعدة", ""), "en": ("Help", "")},
    "stop": {
        "ar": ("إلغاء الاشتراك", "/stop — إلغاء الاشتراك وحذف بياناتك"),
        "en": ("Unsubscribe", "/stop — unsubscribe and delete your data"),
    },
    "stats": {"ar": ("", ""), "en": ("", "")},  # operators only: neither in the menu nor in /help
}


def lang_of(code: str | None) -> str:
    """Telegram language code → the language we speak: English for 'en*', else Arabic."""
    return "en" if code and code.lower().startswith("en") else DEFAULT_LANG


def zone_name(zone: str, lang: str) -> str:
    """A button city's name («الرياض»), else the IANA name itself."""
    entry = TEXTS.get("zone." + zone)
    return (entry.get(lang) or entry[DEFAULT_LANG]) if entry else zone


def t(key: str, lang: str = DEFAULT_LANG, /, **values: object) -> str:
    entry = TEXTS[key]
    template = entry.get(lang) or entry[DEFAULT_LANG]
    return template.format(**values) if values else template
