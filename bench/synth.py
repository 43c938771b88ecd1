"""Realistic synthetic records: every procedure, names in fifteen languages (native script
where the community writes it), quotes in the party's language and long English narratives
(2–5 KB). Deterministic for a given seed, so the cached vaults and the search terms agree.

Records are plain input dicts in the ``add --from-json`` format; the vault builder parses
them with the real ``parse_new_incident``, exactly as the CLI and the editor do.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

# language -> (names, things the party said in that language)
PEOPLE: dict[str, tuple[list[str], list[str]]] = {
    "Vietnamese": (
        [
            f"{f} {m} {g}"
            for f in ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi")
            for m in ("Thị", "Văn", "Minh", "Ngọc", "Đức")
            for g in ("Ánh", "Bảo", "Châu", "Dũng", "Hương", "Tùng", "Lan", "Thắng", "Phương")
        ],
        [
            "Tôi sẽ quay lại và đập vỡ cửa sổ của văn phòng này.",
            "Cô không hiểu gì cả, đừng hỏi tôi nữa!",
            "Đừng ghi thu nhập của vợ tôi vào đơn.",
        ],
    ),
    "Somali": (
        [
            f"{g} {f} {gf}"
            for g in (
                "Abdirahman",
                "Hodan",
                "Fartun",
                "Maxamed",
                "Ayaan",
                "Ismaaciil",
                "Xaliimo",
                "Cabdi",
                "Faadumo",
                "Shukri",
            )
            for f in ("Cali", "Xasan", "Warsame", "Faarax", "Jaamac")
            for gf in ("Yuusuf", "Abdi", "Nuur", "Cilmi")
        ],
        [
            "Ha qorin mushaharka xaaskayga.",
            "Waan soo laaban doonaa, waad arki doontaa!",
            "Adigu waxba ma garanaysid.",
        ],
    ),
    "Arabic": (
        [
            f"{g} {f}"
            for g in ("محمد", "فاطمة", "أحمد", "مريم", "علي", "خديجة", "يوسف", "ليلى")
            for f in ("الحسن", "العبيدي", "الخطيب", "النجار", "الشامي", "المصري")
        ],
        ["لا تكتب دخل زوجتي في الطلب.", "سأعود وأكسر نوافذ هذا المكتب!", "أنت لا تفهم شيئاً."],
    ),
    "Amharic": (
        [
            f"{g} {f}"
            for g in ("አበበ", "ትዕግስት", "ሰላም", "ዮሐንስ", "መሠረት", "ብርሃኑ", "ሄለን", "ተስፋዬ")
            for f in ("ከበደ", "ታደሰ", "አለሙ", "በቀለ", "ሀይሉ", "ደምሴ")
        ],
        ["የባለቤቴን ደሞዝ አትጻፍ።", "ተመልሼ እመጣለሁ፣ ታያለህ!", "ምንም አትገባህም።"],
    ),
    "Burmese": (
        [
            f"{h}{n}"
            for h in ("ဦး", "ဒေါ်", "")
            for n in (
                "အောင်ကျော်",
                "ခင်မြင့်",
                "သန်းထိုက်",
                "ခင်မောင်",
                "စုစုလှိုင်",
                "ဇော်မင်း",
                "မြင့်မြင့်ဝင်း",
                "နီလာသိန်း",
            )
        ],
        ["ကျွန်တော့်ဇနီးရဲ့ လစာကို မရေးပါနဲ့။", "ငါ ပြန်လာမယ်၊ မင်း မြင်ရမယ်။"],
    ),
    "Khmer": (
        [
            f"{f} {g}"
            for f in ("សុខ", "ចាន់", "ហេង", "គឹម", "ស៊ាង")
            for g in ("សុភា", "ដារា", "វណ្ណា", "ស្រីមុំ", "បុប្ផា", "រតនា")
        ],
        ["កុំសរសេរប្រាក់ចំណូលរបស់ប្រពន្ធខ្ញុំ។", "ខ្ញុំនឹងត្រឡប់មកវិញ!"],
    ),
    "Lao": (
        [
            f"{g} {f}"
            for g in ("ສົມສັກ", "ບຸນມີ", "ຄຳແພງ", "ວັນນາ", "ສີສຸກ", "ນ້ອຍ")
            for f in ("ພົມມະຈັນ", "ສີຫາລາດ", "ແກ້ວມະນີ", "ວົງສາ")
        ],
        ["ຢ່າຂຽນລາຍໄດ້ຂອງເມຍຂ້ອຍ.", "ຂ້ອຍຈະກັບມາອີກ!"],
    ),
    "Chinese": (
        [
            f + g
            for f in ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴")
            for g in ("秀英", "伟", "敏", "洋", "静", "磊", "丽", "强", "杰", "芳")
        ],
        ["不要把我妻子的收入写上去。", "我会回来砸了你们办公室的窗户！", "你什么都不懂。"],
    ),
    "Korean": (
        [
            f + g
            for f in ("김", "이", "박", "최", "정", "강", "조", "윤")
            for g in ("민준", "서연", "지훈", "수아", "예준", "하은", "현우", "지민")
        ],
        [
            "제 아내의 소득은 적지 마세요.",
            "다시 와서 이 사무실 창문을 깨 버릴 거야!",
            "당신은 아무것도 몰라요.",
        ],
    ),
    "Russian": (
        [
            f"{g} {f}"
            for g, f in (
                ("Дмитрий", "Соколов"),
                ("Ольга", "Иванова"),
                ("Сергей", "Смирнов"),
                ("Наталья", "Кузнецова"),
                ("Алексей", "Попов"),
                ("Екатерина", "Волкова"),
                ("Иван", "Морозов"),
                ("Татьяна", "Новикова"),
                ("Андрей", "Лебедев"),
                ("Светлана", "Козлова"),
            )
        ],
        [
            "Это пустая трата моего времени!",
            "Не указывайте доход моей жены.",
            "Я вернусь и разобью окна в этом офисе!",
        ],
    ),
    "Spanish": (
        [
            f"{g} {f1} {f2}"
            for g in (
                "María Guadalupe",
                "José Luis",
                "Ana Sofía",
                "Juan Carlos",
                "Lucía",
                "Jorge",
                "Fernanda",
                "Óscar",
            )
            for f1 in ("Hernández", "Ramírez", "Gómez", "Pérez", "Martínez")
            for f2 in ("Ortega", "Núñez", "Ávila", "Castañeda")
        ],
        [
            "No ponga los ingresos de mi esposa en la solicitud.",
            "¡Voy a volver y romper las ventanas de esta oficina!",
            "Usted no entiende nada.",
        ],
    ),
    "Hmong": (
        [
            f"{g} {f}"
            for g in ("Pa", "Tou", "Mai", "Chue", "Nou", "Xee", "Kou", "Bao", "Yer", "Neng")
            for f in ("Vang", "Xiong", "Yang", "Lor", "Thao", "Moua", "Her", "Lee", "Vue", "Khang")
        ],
        ["Tsis txhob sau kuv tus poj niam cov nyiaj hli.", "Kuv yuav rov qab los!"],
    ),
    "Oromo": (
        [
            f"{g} {f}"
            for g in (
                "Caalaa",
                "Lammii",
                "Tolasaa",
                "Obsee",
                "Gammachuu",
                "Hawwii",
                "Boontuu",
                "Dhugaasaa",
            )
            for f in ("Guutamaa", "Abdiisaa", "Tufaa", "Galatoo", "Hundee", "Kumsaa")
        ],
        ["Galii haadha manaa kootii hin barreessin.", "Deebi'ee nan dhufa!"],
    ),
    "Karen": (
        [
            f"{h} {n}"
            for h in ("Saw", "Naw")
            for n in (
                "Ler Htoo",
                "Paw Htoo",
                "Eh Moo",
                "Mu Mu",
                "Hsa Htoo",
                "Ku Paw",
                "Say Wah",
                "Blut Moo",
            )
        ],
        ["He said through the interpreter that nobody would ever check his income."],
    ),
    "French": (
        [
            f"{g} {f}"
            for g in (
                "Amélie",
                "François",
                "Hélène",
                "Jérôme",
                "Chloé",
                "Mamadou",
                "Aïcha",
                "Ousmane",
            )
            for f in ("Dubois", "Lefèvre", "Girard", "Moreau", "Bérubé", "Diallo", "Traoré")
        ],
        [
            "N'inscrivez pas le salaire de ma femme.",
            "Je vais revenir casser les fenêtres de ce bureau !",
            "Vous ne comprenez rien.",
        ],
    ),
}
LANGUAGES = sorted(PEOPLE)

ASSISTERS = ["Jamie Ortiz", "Hodan Abdi", "Pang Xiong", "Mark Lindqvist", "Rosa Delgado"]
SITES = [
    "Brian Coyle Center, Minneapolis",
    "Rochester Public Library",
    "St. Cloud Area Family YMCA",
    "Duluth Community Action",
    "Saint Paul Neighborhood Network",
    "Worthington Health Fair",
    "Willmar Public Library",
    "Hmong American Partnership, St. Paul",
    "Moorhead Clinic",
    "Brooklyn Park Community Center",
    "MNsure Contact Center, St. Paul",
]
DOCS = [
    "pay stubs",
    "a W-2",
    "the 1099-NEC",
    "a lease",
    "a birth certificate",
    "an I-94",
    "a permanent resident card",
    "a letter from the employer",
    "bank statements",
    "the tax return",
    "a self-employment ledger",
    "a marriage certificate",
    "a utility bill",
]
PROGRAMS = [
    "Medical Assistance",
    "MinnesotaCare",
    "a qualified health plan",
    "advance premium tax credits",
    "a special enrollment period",
    "the renewal",
]

SENTENCES = [
    "{name} arrived at {site} at about {hour} and asked for help with {program}.",
    "We started by reviewing {doc}, which {name} had brought in a folder.",
    "I explained that the application asks for every household member's income, including {doc}.",
    "The interpreter, {interp}, translated each question into {lang} and confirmed the answers.",
    "When I asked about {doc}, {name} raised their voice and said the question was insulting.",
    "I said calmly that I had to ask the same questions of everyone applying for {program}.",
    "The conversation moved back to {program}, and for a few minutes it went normally.",
    "{name} then stood up, pointed at me and repeated the insult several times.",
    "I reminded {name} that under MNsure's policy I could end the meeting if this continued.",
    "I offered to schedule another appointment with a different assister at {site}.",
    "Another assister, {witness}, came over from the next table after hearing the shouting.",
    "I tried once more to find out what {name} needed, asking whether {doc} was the problem.",
    "{name} said the coverage for the children was the only thing that mattered and that "
    "nobody at {site} had ever helped.",
    "I wrote down what was said as closely as I could, in {lang} through the interpreter and "
    "in English.",
    "After the meeting I told the site coordinator what had happened and saved my notes.",
    "The household has {count} members and the case number is {case}.",
    "Earlier in the year {name} had applied for {program} and had been asked for {doc}.",
    "I checked the notices in the account; the last one asked for {doc} by the end of the month.",
    "{name} said that a relative had told them they could leave some income off the form.",
    "I explained the difference between {program} and {program2} and which one fits the "
    "household's income.",
    "At {hour} the interaction had gone on for {minutes} minutes without progress.",
    "Nobody was hurt, and {name} left the building on their own.",
    "I did not feel safe continuing the meeting alone, so I asked {witness} to stay nearby.",
    "The call dropped once and {name} called back a few minutes later, still upset.",
    "I listed the documents still missing: {doc} and {doc2}.",
    "{name} asked whether the information would be shared with immigration; I explained the "
    "privacy rules in plain words and the interpreter repeated them in {lang}.",
    "There were other families waiting, and the noise was disturbing them.",
    "I kept the tone calm, used short sentences and paused for the interpretation.",
]
NOTES = {
    "behaviour-started": "Raised voice after the question about {doc}.",
    "reminder-given": "Reminded {name} that policy allows me to end the meeting if it continues.",
    "further-attempt": "Asked again which part of {program} they needed help with.",
    "behaviour-continued": "Insults continued after the reminder.",
    "interaction-ended": "Ended the meeting and asked {name} to leave.",
    "law-enforcement-not-called": "Left calmly; site manager informed.",
    "law-enforcement-called": "Called 911 from the front desk; officers arrived at {hour}.",
    "threat-reported": "Reported the threat to the Assister Resource Center.",
    "fraudulent-entry-requested": "Asked me to leave {doc} out of the application.",
    "accuracy-reminder": "Explained that the application must list all income accurately.",
    "fraudulent-entry-requested-again": "Insisted again that I leave it out.",
    "evidence-preserved": "Saved my notes and a copy of the account notices.",
    "fraud-referred": "Called the MNsure anonymous complaints line.",
    "redirected": "Gave publicfeedback@mnsure.org for comments about the law.",
    "recording-preserved": "Flagged the call recording for retention.",
    "leadership-notified": "Emailed the Broker Relations Director.",
}
TIMELINES = {
    "inappropriate-interaction": [
        "behaviour-started",
        "reminder-given",
        "further-attempt",
        "behaviour-continued",
        "interaction-ended",
    ],
    "suspected-fraud": [
        "fraudulent-entry-requested",
        "accuracy-reminder",
        "fraudulent-entry-requested-again",
        "interaction-ended",
        "evidence-preserved",
        "fraud-referred",
    ],
    "staff-call": [
        "reminder-given",
        "redirected",
        "further-attempt",
        "behaviour-continued",
        "interaction-ended",
        "recording-preserved",
        "leadership-notified",
    ],
}
START = datetime(2020, 1, 6, 8, 0, tzinfo=timezone(timedelta(hours=-6)))


class RecordMaker:
    """``make()`` returns one input dict; the same seed gives the same sequence."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)

    def _fill(self, text: str, ctx: dict[str, str]) -> str:
        r = self.rng
        return text.format(
            doc=r.choice(DOCS),
            doc2=r.choice(DOCS),
            program=r.choice(PROGRAMS),
            program2=r.choice(PROGRAMS),
            hour=f"{r.randint(8, 16)}:{r.randint(0, 59):02d}",
            minutes=r.randint(5, 45),
            count=r.randint(1, 9),
            **ctx,
        )

    def narrative(self, ctx: dict[str, str]) -> str:
        target = self.rng.randint(2_000, 5_000)
        paragraphs: list[str] = []
        size = 0
        while size < target:
            para = " ".join(
                self._fill(self.rng.choice(SENTENCES), ctx) for _ in range(self.rng.randint(3, 6))
            )
            paragraphs.append(para)
            size += len(para.encode()) + 2
        return "\n\n".join(paragraphs)

    def make(self) -> dict[str, Any]:
        r = self.rng
        procedure = r.choices(list(TIMELINES), weights=(55, 25, 20))[0]
        lang = r.choice(LANGUAGES)
        names, sayings = PEOPLE[lang]
        name = r.choice(names)
        occurred = START + timedelta(minutes=r.randrange(6 * 365 * 24 * 60 // 7) * 7)
        staff = procedure == "staff-call"
        ctx = {
            "name": name,
            "lang": lang,
            "site": r.choice(SITES),
            "witness": r.choice(ASSISTERS),
            "interp": f"{r.choice(PEOPLE[lang][0])} (interpreter)",
            "case": f"APP-{r.randint(1_000_000, 9_999_999)}",
        }
        events = TIMELINES[procedure]
        at = occurred
        timeline = []
        for event in events:
            at += timedelta(minutes=r.randint(1, 9))
            timeline.append(
                {
                    "at": at.isoformat(),
                    "event": event,
                    "note": self._fill(NOTES.get(event, ""), ctx),
                }
            )
        record: dict[str, Any] = {
            "procedure": procedure,
            "channel": "phone" if staff else r.choice(["in-person", "phone", "video"]),
            "occurred_at": occurred.isoformat(),
            "ended_at": timeline[events.index("interaction-ended")]["at"],
            "location": ctx["site"],
            "party": {
                "kind": "assister-partner" if staff else "consumer",
                "name": name,
                "case_number": ctx["case"],
                "language": lang,
                "interpreter": ctx["interp"],
                "phone": f"612-555-{r.randint(0, 9999):04d}",
            },
            "grounds": self._grounds(procedure),
            "timeline": timeline,
            "quotes": [
                {"speaker": name, "text": r.choice(sayings), "kind": "verbatim", "language": lang}
            ],
            "witnesses": [{"name": ctx["witness"], "role": "Assister"}] if r.random() < 0.5 else [],
            "narrative": self.narrative(ctx),
        }
        if procedure == "suspected-fraud":
            record["fraud"] = {
                "anonymous": r.random() < 0.3,
                "public_program": r.random() < 0.5,
                "response_to_reminder": "Said nobody would check.",
                "no_discussion_acknowledged": True,
            }
        if staff:
            record["staff_call"] = {
                "recording_available": True,
                "recording_reference": f"CC-REC-{r.randint(1, 10**6):06d}",
                "reminder_mentioned_recording": True,
            }
        return record

    def _grounds(self, procedure: str) -> list[dict[str, Any]]:
        r = self.rng
        if procedure == "suspected-fraud":
            return [
                {
                    "kind": "suspected-fraud",
                    "acknowledged_false": True,
                    "information": "Asked me to leave household income off the application.",
                    "fraud_types": [
                        r.choice(
                            [
                                "unreported-income",
                                "inaccurate-household",
                                "false-application-information",
                            ]
                        )
                    ],
                }
            ]
        options = [
            {
                "kind": "verbal-abuse",
                "categories": [
                    "profanity",
                    r.choice(["language-ability", "race", "religion", "nationality"]),
                ],
                "occurrences": r.randint(2, 6),
                "detail": "Repeated insults and curse words.",
            },
            {
                "kind": "threat",
                "targets": [r.choice(["assister", "assister-office", "mnsure-staff"])],
                "detail": "Said they would come back and break the office windows.",
            },
            {
                "kind": "unrelated-matters",
                "wish": "general-statement",
                "redirections": ["public-feedback-email"],
                "detail": "Insisted on debating the Affordable Care Act.",
            },
        ]
        return r.sample(options, r.randint(1, 2))
