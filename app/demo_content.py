"""What the demo data says, in Russian and English: cities, names, lectures, bios, chats, reviews.

Kept apart from app.demo, which decides who orders what and when, so that the words read as
data. Texts in braces are filled for each order: {lecturer} and {customer} (first names),
{title}, {when} (the lecture's date and time in the lecturer's city), {people}, {audience}
and {reason}; a lecturer's bio takes {years} and {talks}.
"""

from typing import NamedTuple

RU, EN = "ru", "en"


class City(NamedTuple):
    name: str
    timezone: str
    language: str
    weight: int  # how many of the demo's people live there, relatively
    phone: str  # each # becomes a digit


CITIES = (
    City("Москва", "Europe/Moscow", RU, 30, "+7 9## ###-##-##"),
    City("Санкт-Петербург", "Europe/Moscow", RU, 15, "+7 9## ###-##-##"),
    City("Казань", "Europe/Moscow", RU, 6, "+7 9## ###-##-##"),
    City("Екатеринбург", "Asia/Yekaterinburg", RU, 6, "+7 9## ###-##-##"),
    City("Новосибирск", "Asia/Novosibirsk", RU, 6, "+7 9## ###-##-##"),
    City("Алматы", "Asia/Almaty", RU, 5, "+7 7## ###-##-##"),
    City("Минск", "Europe/Minsk", RU, 5, "+375 29 ###-##-##"),
    City("London", "Europe/London", EN, 10, "+44 7### ######"),
    City("Berlin", "Europe/Berlin", EN, 8, "+49 15# #######"),
    City("Dubai", "Asia/Dubai", EN, 9, "+971 5# ### ####"),
)


class Names(NamedTuple):
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]  # a man's form; app.demo derives a woman's


NAMES = {
    RU: Names(
        male=(
            "Алексей", "Дмитрий", "Сергей", "Андрей", "Михаил", "Илья", "Максим", "Артём",
            "Павел", "Николай", "Игорь", "Олег", "Константин", "Роман", "Тимур", "Евгений",
            "Кирилл", "Антон", "Григорий", "Владимир",
        ),
        female=(
            "Анна", "Елена", "Мария", "Ольга", "Наталья", "Татьяна", "Екатерина", "Ирина",
            "Светлана", "Юлия", "Дарья", "Ксения", "Алина", "Вера", "Полина", "Марина",
            "Виктория", "Софья", "Людмила", "Анастасия",
        ),
        surnames=(
            "Иванов", "Смирнов", "Кузнецов", "Соколов", "Лебедев", "Козлов", "Новиков",
            "Морозов", "Волков", "Соловьёв", "Васильев", "Зайцев", "Павлов", "Семёнов",
            "Виноградов", "Богданов", "Воробьёв", "Фёдоров", "Михайлов", "Тарасов", "Белов",
            "Орлов", "Киселёв", "Макаров", "Андреев", "Ильин", "Галкин", "Вишневский",
            "Покровский", "Черных", "Кравченко", "Шевченко",
        ),
    ),
    EN: Names(
        male=(
            "James", "Oliver", "Thomas", "Daniel", "Matthew", "Samuel", "George", "Henry",
            "Michael", "David", "Edward", "Benjamin",
        ),
        female=(
            "Emma", "Charlotte", "Sophie", "Olivia", "Hannah", "Emily", "Grace", "Lucy",
            "Amelia", "Rachel", "Laura", "Alice",
        ),
        surnames=(
            "Smith", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright", "Hughes",
            "Green", "Hall", "Clarke", "Turner", "Harris", "Cooper", "Bennett", "Foster",
            "Murray", "Hayes", "Palmer", "Sullivan", "O'Brien", "Fletcher",
        ),
    ),
}  # fmt: skip


class Idea(NamedTuple):
    """A lecture as a lecturer offers it."""

    title: str
    description: str
    minutes: int
    price: int  # in rubles: what a company pays for the talk, not a ticket


class Topic(NamedTuple):
    """A field a lecturer works in: their visit card and the lectures they give, by language."""

    visit_card: dict[str, str]
    lectures: dict[str, tuple[Idea, ...]]


TOPICS = (
    Topic(
        visit_card={
            RU: "Внедряю искусственный интеллект в работу компаний; {years} в цифровой "
            "трансформации.",
            EN: "I help companies put AI to work; {years} in digital transformation.",
        },
        lectures={
            RU: (
                Idea(
                    "Генеративный ИИ в работе офиса: что автоматизировать уже сегодня",
                    "Разбираем, какие задачи отдела можно отдать нейросетям прямо сейчас: "
                    "письма, отчёты, протоколы встреч, первичную аналитику. Показываем рабочие "
                    "сценарии и объясняем, где ИИ ошибается и как это проверять.",
                    90, 60_000,
                ),
                Idea(
                    "ИИ-стратегия для руководителей: с чего начать внедрение",
                    "Лекция для топ-менеджмента: как выбрать первые пилотные проекты, посчитать "
                    "эффект, не утонуть в хайпе и договориться о правилах работы с данными.",
                    120, 90_000,
                ),
                Idea(
                    "Промпт-инжиниринг для менеджеров",
                    "Учимся ставить задачи языковым моделям так, чтобы получать пригодный "
                    "результат с первого раза. Шаблоны запросов для продаж, HR и маркетинга.",
                    150, 70_000,
                ),
            ),
            EN: (
                Idea(
                    "Generative AI at Work: What to Automate First",
                    "Which everyday tasks your team can hand over to language models today "
                    "(drafting, summarising, first-pass analysis) and how to check the output "
                    "before it reaches a customer.",
                    90, 65_000,
                ),
                Idea(
                    "An AI Strategy for Leadership Teams",
                    "How to pick the first pilots, measure their value, set rules for company "
                    "data and avoid the costliest mistakes of early adopters.",
                    120, 95_000,
                ),
            ),
        },
    ),
    Topic(
        visit_card={
            RU: "Переговорщик и бизнес-тренер; {years} в продажах B2B и закупках.",
            EN: "Negotiator and sales coach; {years} in B2B sales and procurement.",
        },
        lectures={
            RU: (
                Idea(
                    "Переговоры с закупщиками крупных сетей",
                    "Как готовиться к встрече с категорийным менеджером, держать цену и "
                    "обменивать уступки. Разбор настоящих переговорных ситуаций из ритейла.",
                    120, 75_000,
                ),
                Idea(
                    "Гарвардский метод переговоров на практике",
                    "Позиции и интересы, лучшая альтернатива соглашению, объективные критерии. "
                    "Лекция с короткими упражнениями в парах.",
                    90, 55_000,
                ),
                Idea(
                    "Трудные переговоры: давление, манипуляции, тупик",
                    "Как распознать манипулятивные приёмы, не поддаться давлению и вывести "
                    "разговор из тупика, сохранив отношения.",
                    90, 60_000,
                ),
            ),
            EN: (
                Idea(
                    "Negotiating with Procurement",
                    "Preparing for a meeting with a professional buyer: anchoring, trading "
                    "concessions, and holding your price without losing the deal.",
                    120, 80_000,
                ),
                Idea(
                    "Getting Past No: Difficult Negotiations",
                    "Recognising pressure tactics, staying calm under them, and turning a "
                    "deadlock into a workable agreement.",
                    90, 60_000,
                ),
            ),
        },
    ),
    Topic(
        visit_card={
            RU: "Тренер по публичным выступлениям; {years} на сцене и за кулисами "
            "конференций.",
            EN: "Public speaking coach; {years} on stage and behind the scenes of conferences.",
        },
        lectures={
            RU: (
                Idea(
                    "Выступление без страха: голос, пауза, взгляд",
                    "Как справиться с волнением перед аудиторией, управлять голосом и паузами "
                    "и удерживать внимание зала. Много коротких упражнений.",
                    120, 50_000,
                ),
                Idea(
                    "Сторителлинг для презентаций",
                    "Как превратить набор слайдов в историю: структура, герой, конфликт и "
                    "вывод. Примеры сильных и слабых презентаций.",
                    90, 45_000,
                ),
                Idea(
                    "Как выступить на отраслевой конференции",
                    "От заявки до вопросов из зала: выбор темы, подготовка за две недели, "
                    "работа с модератором и неудобными вопросами.",
                    45, 35_000,
                ),
            ),
            EN: (
                Idea(
                    "Speaking Without Fear",
                    "Handling nerves, using your voice and pauses, and keeping a room's "
                    "attention. Short exercises for every participant.",
                    120, 55_000,
                ),
                Idea(
                    "Storytelling for Business Presentations",
                    "Turn a deck of slides into a story with a clear structure and one "
                    "memorable takeaway.",
                    90, 50_000,
                ),
            ),
        },
    ),
    Topic(
        visit_card={
            RU: "Специалист по информационной безопасности; {years} защищаю банки и "
            "промышленные компании.",
            EN: "Information security consultant; {years} protecting banks and manufacturers.",
        },
        lectures={
            RU: (
                Idea(
                    "Фишинг и социальная инженерия: как не стать жертвой",
                    "Разбираем настоящие фишинговые письма и звонки «из службы безопасности "
                    "банка». Простые правила, которые защищают сотрудников и компанию.",
                    45, 40_000,
                ),
                Idea(
                    "Кибергигиена для удалённой команды",
                    "Пароли и менеджеры паролей, двухфакторная аутентификация, домашний Wi-Fi "
                    "и рабочие данные на личных устройствах.",
                    90, 45_000,
                ),
                Idea(
                    "Кибербезопасность для руководителей: риски и ответственность",
                    "Что руководителю нужно знать об утечках, шифровальщиках и законе о "
                    "персональных данных; план действий при инциденте.",
                    120, 85_000,
                ),
            ),
            EN: (
                Idea(
                    "Phishing and Social Engineering",
                    "Real phishing emails and phone scams taken apart, and a handful of habits "
                    "that protect both staff and the company.",
                    45, 45_000,
                ),
                Idea(
                    "Incident Response for Managers",
                    "What to do in the first hour of a data breach or a ransomware attack, who "
                    "to call, and how to talk to customers about it.",
                    120, 90_000,
                ),
            ),
        },
    ),
    Topic(
        visit_card={
            RU: "Финансовый директор и преподаватель; {years} в корпоративных финансах.",
            EN: "CFO turned teacher; {years} in corporate finance.",
        },
        lectures={
            RU: (
                Idea(
                    "Финансы для нефинансовых менеджеров",
                    "Выручка, прибыль, денежный поток и маржинальность простым языком. Учимся "
                    "читать отчётность своего подразделения и говорить с финансистами на одном "
                    "языке.",
                    180, 80_000,
                ),
                Idea(
                    "Юнит-экономика продукта",
                    "Как понять, зарабатывает ли продукт на каждом клиенте: стоимость "
                    "привлечения, удержание, LTV. Разбор на примере онлайн-сервиса.",
                    120, 70_000,
                ),
                Idea(
                    "Бюджетирование без боли",
                    "Как подразделению составить реалистичный бюджет, защитить его и следить за "
                    "исполнением в течение года.",
                    90, 55_000,
                ),
            ),
            EN: (
                Idea(
                    "Finance for Non-Financial Managers",
                    "Revenue, profit, cash flow and margins in plain language, and how to read "
                    "your department's numbers with confidence.",
                    180, 85_000,
                ),
                Idea(
                    "Unit Economics in Practice",
                    "Acquisition cost, retention and lifetime value, worked through on a real "
                    "subscription business.",
                    120, 75_000,
                ),
            ),
        },
    ),
    Topic(
        visit_card={
            RU: "Искусствовед, куратор выставок; {years} рассказываю об искусстве взрослым.",
            EN: "Art historian and curator; {years} of talking about art to grown-ups.",
        },
        lectures={
            RU: (
                Idea(
                    "Русский авангард: от Малевича до Родченко",
                    "Как художники начала XX века изобрели новый визуальный язык и почему он "
                    "до сих пор живёт в дизайне и рекламе.",
                    90, 40_000,
                ),
                Idea(
                    "Импрессионисты: как скандал стал классикой",
                    "Салон отверженных, новые краски и свет на холсте: как группа непризнанных "
                    "художников изменила искусство. Много иллюстраций.",
                    90, 40_000,
                ),
                Idea(
                    "Как смотреть современное искусство",
                    "Инструменты, которые помогают понять работы последних десятилетий и "
                    "уверенно чувствовать себя на выставке.",
                    60, 35_000,
                ),
            ),
            EN: (
                Idea(
                    "How to Look at Contemporary Art",
                    "A toolkit for making sense of the art of the last fifty years, and for "
                    "enjoying a gallery visit with your team.",
                    60, 40_000,
                ),
                Idea(
                    "The Impressionists: From Scandal to Classic",
                    "The Salon des Refusés, new paints and outdoor light: how a rejected group "
                    "of painters changed art for good.",
                    90, 45_000,
                ),
            ),
        },
    ),
    Topic(
        visit_card={
            RU: "Организационный психолог; {years} работаю с командами и руководителями.",
            EN: "Organisational psychologist; {years} working with teams and their managers.",
        },
        lectures={
            RU: (
                Idea(
                    "Профилактика выгорания в команде",
                    "Признаки выгорания у себя и коллег, причины, которые кроются в организации "
                    "работы, и что может сделать руководитель.",
                    90, 60_000,
                ),
                Idea(
                    "Эмоциональный интеллект руководителя",
                    "Как замечать и называть эмоции, управлять своей реакцией и вести трудные "
                    "разговоры с сотрудниками.",
                    120, 65_000,
                ),
                Idea(
                    "Конфликты в команде: как договориться",
                    "Откуда берутся рабочие конфликты, как разбирать их, не переходя на "
                    "личности, и когда нужен посредник.",
                    90, 55_000,
                ),
            ),
            EN: (
                Idea(
                    "Preventing Burnout in Your Team",
                    "Early signs of burnout, the causes that lie in how work is organised, and "
                    "what a manager can actually change.",
                    90, 65_000,
                ),
                Idea(
                    "Emotional Intelligence for Managers",
                    "Noticing and naming emotions, managing your own reactions, and holding "
                    "difficult conversations with care.",
                    120, 70_000,
                ),
            ),
        },
    ),
    Topic(
        visit_card={
            RU: "Консультант по управлению; {years} помогаю новым руководителям.",
            EN: "Management consultant; {years} helping new managers find their feet.",
        },
        lectures={
            RU: (
                Idea(
                    "Из специалиста в руководители: первые 100 дней",
                    "Что меняется, когда вчерашний коллега становится начальником: "
                    "делегирование, обратная связь, первые трудные решения.",
                    120, 60_000,
                ),
                Idea(
                    "Обратная связь, которая работает",
                    "Как хвалить и критиковать так, чтобы человеку захотелось меняться, и как "
                    "самому принимать критику.",
                    90, 50_000,
                ),
                Idea(
                    "Управление распределённой командой",
                    "Ритм встреч, асинхронная работа, доверие и контроль, когда команда сидит в "
                    "разных городах и часовых поясах.",
                    90, 55_000,
                ),
            ),
            EN: (
                Idea(
                    "Your First 100 Days as a Manager",
                    "Delegation, feedback and the first hard decisions when a former peer "
                    "becomes the boss.",
                    120, 65_000,
                ),
                Idea(
                    "Leading a Distributed Team",
                    "Meeting rhythms, asynchronous work, trust and accountability across cities "
                    "and time zones.",
                    90, 60_000,
                ),
            ),
        },
    ),
    Topic(
        visit_card={
            RU: "Маркетолог и продакт-менеджер; {years} запускаю продукты и проверяю "
            "гипотезы.",
            EN: "Marketer and product manager; {years} of launches and experiments.",
        },
        lectures={
            RU: (
                Idea(
                    "Маркетинг на основе данных",
                    "Как строить гипотезы, проводить A/B-тесты и отличать настоящий рост от "
                    "случайного шума в метриках.",
                    120, 65_000,
                ),
                Idea(
                    "Кастдев: как разговаривать с клиентами",
                    "Как проводить интервью, чтобы узнать о настоящих проблемах клиентов, а не "
                    "услышать вежливое «да, купили бы».",
                    90, 50_000,
                ),
                Idea(
                    "Бренд работодателя",
                    "Как привлечь сильных кандидатов: ценностное предложение, карьерный сайт, "
                    "отзывы сотрудников.",
                    90, 50_000,
                ),
            ),
            EN: (
                Idea(
                    "Data-Driven Marketing",
                    "Forming hypotheses, running A/B tests, and telling real growth from noise "
                    "in your metrics.",
                    120, 70_000,
                ),
                Idea(
                    "Talking to Customers: Interviews That Work",
                    "How to run customer interviews that uncover real problems instead of "
                    "polite promises to buy.",
                    90, 55_000,
                ),
            ),
        },
    ),
    Topic(
        visit_card={
            RU: "Юрист по корпоративному и трудовому праву; {years} практики.",
            EN: "Commercial and employment lawyer; {years} in practice.",
        },
        lectures={
            RU: (
                Idea(
                    "Персональные данные: что нужно знать каждому отделу",
                    "Согласия, хранение, передача подрядчикам и штрафы. Практические правила "
                    "для HR, маркетинга и продаж.",
                    90, 60_000,
                ),
                Idea(
                    "Договор глазами менеджера",
                    "На что смотреть в договоре до того, как отдать его юристам: сроки, "
                    "ответственность, приёмка, расторжение.",
                    90, 55_000,
                ),
                Idea(
                    "Трудовое право для руководителей",
                    "Приём, перевод, дисциплинарные взыскания и увольнение без ошибок, которые "
                    "потом дорого обходятся.",
                    120, 65_000,
                ),
            ),
            EN: (
                Idea(
                    "Contracts for Managers",
                    "What to check in a contract before it goes to legal: deadlines, "
                    "liability, acceptance and termination.",
                    90, 60_000,
                ),
                Idea(
                    "Data Protection Essentials",
                    "Consent, retention, sharing data with vendors, and what regulators "
                    "actually fine companies for.",
                    90, 65_000,
                ),
            ),
        },
    ),
    Topic(
        visit_card={
            RU: "Аналитик данных и преподаватель; {years} учу команды работать с цифрами.",
            EN: "Data analyst and teacher; {years} teaching teams to work with numbers.",
        },
        lectures={
            RU: (
                Idea(
                    "Визуализация данных: графики, которые понимают",
                    "Как выбрать тип графика, убрать лишнее и сделать так, чтобы руководитель "
                    "понял вывод за десять секунд.",
                    90, 50_000,
                ),
                Idea(
                    "SQL для аналитиков с нуля",
                    "Первые запросы к базе данных: выборки, фильтры, группировки и соединения "
                    "таблиц на учебных данных.",
                    180, 75_000,
                ),
                Idea(
                    "Культура данных в компании",
                    "Как договориться об общих метриках, перестать спорить о цифрах и "
                    "принимать решения на основе данных.",
                    90, 60_000,
                ),
            ),
            EN: (
                Idea(
                    "Data Visualisation That Works",
                    "Choosing the right chart, cutting the clutter, and making the point clear "
                    "in ten seconds.",
                    90, 55_000,
                ),
                Idea(
                    "Building a Data Culture",
                    "Shared metrics, dashboards people trust, and decisions made on evidence "
                    "rather than opinion.",
                    90, 65_000,
                ),
            ),
        },
    ),
    Topic(
        visit_card={
            RU: "Коуч по личной эффективности; {years} помогаю людям успевать главное.",
            EN: "Productivity coach; {years} helping people get the important things done.",
        },
        lectures={
            RU: (
                Idea(
                    "Тайм-менеджмент для тех, у кого нет времени",
                    "Приоритеты, почта и мессенджеры без аврала, защищённое время для "
                    "сосредоточенной работы.",
                    60, 35_000,
                ),
                Idea(
                    "Сон, стресс и продуктивность",
                    "Что говорит наука о сне и стрессе и какие привычки действительно помогают "
                    "работать лучше.",
                    60, 40_000,
                ),
                Idea(
                    "Совещания, после которых что-то меняется",
                    "Как сократить число встреч, готовить повестку, вести обсуждение и "
                    "записывать решения.",
                    45, 35_000,
                ),
            ),
            EN: (
                Idea(
                    "Time Management for Busy People",
                    "Prioritising, taming email and chat, and protecting time for deep work.",
                    60, 40_000,
                ),
                Idea(
                    "Meetings That Matter",
                    "Fewer meetings, better agendas, and decisions that are written down and "
                    "followed up.",
                    45, 40_000,
                ),
            ),
        },
    ),
)  # fmt: skip

# When a lecture's title comes round again at a larger --scale, it takes one of these.
TITLE_FORMATS = {
    RU: ("практикум", "интенсив", "для руководителей", "разбор кейсов"),
    EN: ("workshop", "masterclass", "for managers", "case studies"),
}

EXPERIENCE = {
    RU: (
        "{years} практики. Выступления для банков, ритейла и IT-компаний; корпоративные "
        "программы для команд от 10 до 300 человек.",
        "Более {talks} выступлений за последние годы; преподаю в бизнес-школе.",
        "{years} в профессии, из них последние несколько — в корпоративном обучении. Веду "
        "авторский курс и телеграм-канал.",
    ),
    EN: (
        "{years} of practice. Talks for banks, retailers and tech companies; in-house "
        "programmes for teams of 10 to 300.",
        "Over {talks} talks in recent years; guest lecturer at a business school.",
        "{years} in the field, the last few of them in corporate training.",
    ),
}

COMPANIES = {
    RU: (
        "ООО «Вектор Логистик»", "АО «Сибирская энергия»", "Банк «Заречный»",
        "ООО «Городские аптеки»", "Студия «Пиксель»", "Группа «Меридиан»", "ООО «АгроВосток»",
        "Сеть «Корзинка»", "Издательство «Полка»", "Клиника «Здоровье»", "ООО «Техносфера»",
        "АО «Уралмашстрой»",
    ),
    EN: (
        "Northwind Logistics", "Brightline Media", "Harbour Bank", "Greenfield Foods",
        "Atlas Engineering", "Bluebird Software", "Crescent Health", "Meridian Retail",
    ),
}  # fmt: skip

# A customer's visit card.
CUSTOMER_CARD = {RU: "{role}, {company}.", EN: "{role} at {company}."}

CUSTOMER_ROLES = {
    RU: (
        "Руководитель отдела обучения", "HR-директор", "Организатор корпоративных мероприятий",
        "Менеджер по внутренним коммуникациям", "Руководитель корпоративного университета",
        "Директор по развитию",
    ),
    EN: (
        "Head of Learning & Development", "HR Director", "Events Manager",
        "Internal Communications Lead", "People Partner", "Chief Operating Officer",
    ),
}  # fmt: skip

# Who the lecture is for, as it reads after the title: "«…» для отдела продаж".
AUDIENCES = {
    RU: (
        "для отдела продаж", "для руководителей направлений", "для команды разработки",
        "для новых сотрудников", "для HR-команды", "для партнёров на нашей конференции",
        "для службы поддержки", "для финансового департамента",
    ),
    EN: (
        "for our sales team", "for our department heads", "for the engineering team",
        "for new starters", "for the HR team", "for partners at our annual conference",
        "for the support team", "for the finance team",
    ),
}  # fmt: skip

# Group sizes that read well after a number in both languages ("40 человек", "40 people").
PEOPLE = (10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150)

ORDER_NOTES = {
    RU: (
        "Лекция {audience}, около {people} человек. Проводим у себя в офисе, зал с проектором.",
        "Лекция {audience}, около {people} человек. Формат онлайн, в Zoom.",
        "Лекция {audience}, около {people} человек. Хотим оставить время на вопросы из зала.",
        "Лекция {audience}, около {people} человек. Будем вести запись для коллег из регионов.",
        "Лекция {audience}, около {people} человек; часть слушателей — новые сотрудники.",
    ),
    EN: (
        "A talk {audience}, about {people} people. In our office; the room has a projector.",
        "A talk {audience}, about {people} people. Online, over Zoom.",
        "A talk {audience}, about {people} people. We'd like time for questions at the end.",
        "A talk {audience}, about {people} people. We'll record it for colleagues elsewhere.",
        "A talk {audience}, about {people} people; some joined the company recently.",
    ),
}

# Reasons of the moves that need one, each a clause that follows a colon in a chat line;
# the order's history keeps it as a sentence.
_CUSTOMER_WITHDRAWS = {
    RU: (
        "мероприятие перенесли на следующий квартал",
        "бюджет на обучение сократили до конца года",
        "руководство решило провести обучение своими силами",
        "большая часть команды в эти дни будет в командировке",
    ),
    EN: (
        "the event has moved to next quarter",
        "our training budget was cut until the end of the year",
        "management decided to run the training in-house",
        "most of the team will be travelling that week",
    ),
}
# By story (app.demo.STORIES).
REASONS = {
    "refused": {
        RU: (
            "в эти дни я на отраслевой конференции в другом городе",
            "на эту неделю у меня уже запланированы выступления",
            "для вашей аудитории лучше подойдёт коллега с опытом в вашей отрасли",
            "сейчас я беру заказы только на онлайн-формат",
        ),
        EN: (
            "I'm speaking at an industry conference in another city that week",
            "my calendar for that week is already full",
            "a colleague with experience in your industry would suit this audience better",
            "at the moment I only take online bookings",
        ),
    },
    "canceled": _CUSTOMER_WITHDRAWS,
    "called_off_by_customer": _CUSTOMER_WITHDRAWS,
    "called_off_by_lecturer": {
        RU: (
            "из-за болезни не смогу выступать ближайшие две недели",
            "на эти даты перенесли обязательную для меня конференцию",
            "по семейным обстоятельствам в эти дни буду в другом городе",
        ),
        EN: (
            "I'm ill and can't speak for the next two weeks",
            "a conference I must attend has moved to those dates",
            "a family matter takes me out of town that week",
        ),
    },
}

# A chat opens with the customer's request, written when the order is made.
ASKS = {
    RU: (
        "Здравствуйте, {lecturer}! Хотим пригласить вас с лекцией «{title}» {audience}, "
        "{when}. Будет около {people} человек. Дата свободна?",
        "Добрый день! Интересует лекция «{title}» {audience}, {when}. Слушателей около "
        "{people}. Получится?",
        "{lecturer}, здравствуйте! Коллеги советуют вашу лекцию «{title}». Сможете провести её "
        "{when} {audience}? Нас около {people}.",
    ),
    EN: (
        "Hello {lecturer}, we'd like to book your talk “{title}” {audience} on {when}. There "
        "will be about {people} of us. Is the date free?",
        "Hi! We're interested in “{title}” {audience} on {when}, for around {people} people. "
        "Would that work for you?",
        "Hi {lecturer}, a colleague recommended your talk “{title}”. Could you give it "
        "{audience} on {when}? We're about {people}.",
    ),
}

# What follows the request, by story and language: lines of (the event a line follows, its
# text), the lecturer's first, then the two sides in turn. An event is the order's creation
# or a move of its status; each line is written after it and before the next one.
Lines = tuple[tuple[str, str], ...]
CHATS: dict[str, dict[str, tuple[Lines, ...]]] = {
    "waiting": {RU: ((),), EN: ((),)},  # the lecturer has not answered yet
    "accepted": {
        RU: (
            (
                ("accepted", "Добрый день, {customer}! Дата свободна, заказ подтверждён. Где "
                 "пройдёт лекция: у вас в офисе или онлайн?"),
                ("accepted", "В офисе, зал с проектором и микрофоном."),
                ("accepted", "Отлично. За неделю пришлю план и попрошу собрать вопросы "
                 "слушателей заранее."),
            ),
            (
                ("accepted", "Здравствуйте, {customer}! Да, подтверждаю. Есть ли вопросы, "
                 "которые команде важно разобрать?"),
                ("accepted", "Пришлём список до конца недели. Можно добавить примеры из нашей "
                 "практики?"),
                ("accepted", "Конечно, присылайте, встрою их в лекцию."),
                ("accepted", "Спасибо, отправили на почту."),
            ),
            (
                ("accepted", "Добрый день! Время свободно, заказ подтверждён. План лекции "
                 "пришлю за неделю до встречи."),
                ("accepted", "Спасибо! Будем ждать."),
            ),
        ),
        EN: (
            (
                ("accepted", "Hi {customer}, the date is free and the booking is confirmed. "
                 "Will it be in your office or online?"),
                ("accepted", "In the office; the room has a projector and a microphone."),
                ("accepted", "Great. I'll send an outline a week before and ask for the "
                 "audience's questions in advance."),
            ),
            (
                ("accepted", "Hello {customer}, yes, confirmed. Is there anything the team "
                 "particularly wants covered?"),
                ("accepted", "We'll send a list by Friday. Could you add examples from our own "
                 "work?"),
                ("accepted", "Of course, send them over and I'll build them in."),
                ("accepted", "Thanks, they're in your inbox."),
            ),
            (
                ("accepted", "Hi! The time is free and the booking is confirmed. I'll send the "
                 "outline a week before."),
                ("accepted", "Thank you! We look forward to it."),
            ),
        ),
    },
    "refused": {
        RU: (
            (
                ("refused", "Здравствуйте, {customer}! Спасибо за приглашение, но, к "
                 "сожалению, не смогу: {reason}."),
                ("refused", "Жаль! Будем иметь вас в виду на будущее."),
            ),
            (("refused", "Добрый день! Увы, не получится: {reason}. Извините."),),
        ),
        EN: (
            (
                ("refused", "Hello {customer}, thank you for the invitation, but I'm afraid I "
                 "can't: {reason}."),
                ("refused", "What a pity! We'll keep you in mind for next time."),
            ),
            (("refused", "Hi, sorry, that won't work: {reason}."),),
        ),
    },
    "canceled": {
        RU: (
            (
                ("created", "Здравствуйте! Дата пока свободна. Уточните, пожалуйста: офис или "
                 "онлайн?"),
                ("canceled", "Извините, вынуждены отменить заказ: {reason}."),
                ("canceled", "Понимаю. Пишите, когда появится новая дата."),
            ),
            (
                ("created", "Добрый день! Нужна ли запись лекции и раздаточные материалы?"),
                ("canceled", "{lecturer}, простите, планы изменились: {reason}. Заказ "
                 "отменили."),
            ),
        ),
        EN: (
            (
                ("created", "Hello! The date is free for now. Office or online?"),
                ("canceled", "Sorry, we have to cancel: {reason}."),
                ("canceled", "I understand. Get in touch when you have a new date."),
            ),
            (
                ("created", "Hi! Will you need a recording and handouts?"),
                ("canceled", "{lecturer}, sorry, plans have changed: {reason}. We've cancelled "
                 "the booking."),
            ),
        ),
    },
    "called_off_by_customer": {
        RU: (
            (
                ("accepted", "Добрый день, {customer}! Подтверждаю, до встречи!"),
                ("canceled", "{lecturer}, к сожалению, вынуждены отменить лекцию: {reason}. "
                 "Простите за беспокойство."),
                ("canceled", "Понимаю, ничего страшного. Если дата снова понадобится, пишите."),
            ),
            (
                ("accepted", "Здравствуйте! Да, подтверждаю. Пришлите, пожалуйста, адрес."),
                ("accepted", "Адрес и схему проезда отправили на почту."),
                ("accepted", "Спасибо, всё получено."),
                ("canceled", "Увы, придётся отменить: {reason}. Надеемся вернуться к этому "
                 "позже."),
                ("canceled", "Жаль, но понимаю. Удачи вашей команде!"),
            ),
        ),
        EN: (
            (
                ("accepted", "Hi {customer}, confirmed. See you then!"),
                ("canceled", "{lecturer}, I'm sorry, we have to cancel: {reason}. Apologies "
                 "for the trouble."),
                ("canceled", "No problem, I understand. Get in touch if you need a date again."),
            ),
            (
                ("accepted", "Hello! Yes, confirmed. Could you send me the address?"),
                ("accepted", "The address and directions are in your inbox."),
                ("accepted", "Thanks, got them."),
                ("canceled", "Unfortunately we have to cancel: {reason}. We hope to come back "
                 "to it later."),
                ("canceled", "A pity, but I understand. Best of luck to your team!"),
            ),
        ),
    },
    "called_off_by_lecturer": {
        RU: (
            (
                ("accepted", "Добрый день! Время свободно, подтверждаю."),
                ("accepted", "Отлично, спасибо! Ждём."),
                ("canceled", "{customer}, приношу извинения: лекцию придётся отменить, "
                 "{reason}. Могу порекомендовать коллегу."),
                ("canceled", "Жаль, но спасибо, что предупредили заранее. Пришлите, "
                 "пожалуйста, контакт коллеги."),
            ),
        ),
        EN: (
            (
                ("accepted", "Hello! The time is free, confirmed."),
                ("accepted", "Great, thank you! We look forward to it."),
                ("canceled", "{customer}, my apologies, I have to cancel the talk: {reason}. "
                 "I can recommend a colleague."),
                ("canceled", "A pity, but thanks for telling us early. Please send us their "
                 "contact."),
            ),
        ),
    },
    "finished": {
        RU: (
            (
                ("accepted", "Добрый день, {customer}! Подтверждаю. Сколько времени оставить "
                 "на вопросы?"),
                ("accepted", "Минут двадцать, вопросов будет много."),
                ("accepted", "Договорились. До встречи!"),
                ("finished", "{lecturer}, спасибо за лекцию! Коллеги до сих пор обсуждают."),
                ("finished", "Спасибо за тёплый приём! Презентацию отправлю на почту."),
            ),
            (
                ("accepted", "Здравствуйте! Да, подтверждаю."),
                ("accepted", "Подскажите, что нужно из техники?"),
                ("accepted", "Проектор и кликер, остальное привезу с собой."),
                ("finished", "Спасибо, было очень полезно! Пришлите, пожалуйста, слайды."),
                ("finished", "Слайды уже у вас на почте. Спасибо за интересные вопросы!"),
            ),
            (
                ("accepted", "Добрый день! Заказ подтверждён, план пришлю за неделю."),
                ("finished", "Спасибо за лекцию, команда в восторге!"),
                ("finished", "Спасибо! Было приятно работать с такой аудиторией."),
            ),
            (
                ("accepted", "Здравствуйте, {customer}! С удовольствием, подтверждаю. Кто "
                 "встретит меня на месте?"),
                ("accepted", "Наш офис-менеджер, контакты отправили на почту."),
                ("accepted", "Получено, спасибо!"),
                ("finished", "{lecturer}, спасибо! Отзывы слушателей отличные, хотим "
                 "пригласить вас снова в следующем квартале."),
                ("finished", "Спасибо, с радостью приеду снова!"),
            ),
        ),
        EN: (
            (
                ("accepted", "Hi {customer}, confirmed. How much time should I leave for "
                 "questions?"),
                ("accepted", "Twenty minutes or so; there will be plenty."),
                ("accepted", "Agreed. See you then!"),
                ("finished", "{lecturer}, thank you for the talk! People are still discussing "
                 "it."),
                ("finished", "Thank you for having me! I'll email the slides."),
            ),
            (
                ("accepted", "Hello! Yes, confirmed."),
                ("accepted", "What equipment will you need?"),
                ("accepted", "A projector and a clicker; I'll bring the rest."),
                ("finished", "Thanks, that was really useful! Could you send the slides?"),
                ("finished", "Already sent. Thanks for the great questions!"),
            ),
            (
                ("accepted", "Hi! The booking is confirmed; I'll send an outline a week "
                 "before."),
                ("finished", "Thank you for the talk, the team loved it!"),
                ("finished", "Thank you! It was a pleasure to speak to such an audience."),
            ),
            (
                ("accepted", "Hello {customer}, happy to, confirmed. Who will meet me on the "
                 "day?"),
                ("accepted", "Our office manager; the contact details are in your inbox."),
                ("accepted", "Got them, thanks!"),
                ("finished", "{lecturer}, thank you! The feedback is excellent; we'd like to "
                 "book you again next quarter."),
                ("finished", "Thank you, I'd be glad to come back!"),
            ),
        ),
    },
}  # fmt: skip


class Review(NamedTuple):
    """A review's text is a verdict and a detail, both fitting its grade."""

    verdicts: tuple[str, ...]
    details: tuple[str, ...]


REVIEWS = {
    RU: {
        5: Review(
            ("Отличная лекция!", "Лучшее обучение за этот год.", "Превзошло ожидания.",
             "Очень сильный спикер.", "Всё прошло блестяще."),
            ("Живые примеры и много практики, вопросы задавали до последней минуты.",
             "Материал точно под нашу задачу, команда уже применяет.",
             "Чёткая структура, ни минуты впустую.",
             "Отдельное спасибо за ответы на вопросы после лекции.",
             "Коллеги просят пригласить ещё раз."),
        ),
        4: Review(
            ("Хорошая лекция.", "Полезно и по делу.", "В целом очень довольны."),
            ("Немного не хватило времени на вопросы.",
             "Хотелось бы больше примеров из нашей отрасли.",
             "Первая половина была сильнее второй.",
             "Слайды стоит обновить, а в остальном отлично."),
        ),
        3: Review(
            ("Неплохо, но без откровений.", "Средне."),
            ("Многое команда уже знала.", "Темп был слишком быстрым для новичков.",
             "Часть примеров устарела."),
        ),
        2: Review(
            ("Ожидали большего.", "Не совсем то, о чём договаривались."),
            ("Лекция ушла в сторону от заявленной темы.",
             "Начали с опозданием на двадцать минут.", "Мало конкретики, много общих слов."),
        ),
        1: Review(
            ("Разочарованы.", "Не рекомендуем."),
            ("Спикер не подготовился к нашей аудитории.",
             "Половину времени заняли технические проблемы и отступления."),
        ),
    },
    EN: {
        5: Review(
            ("Excellent talk!", "The best training we've had this year.",
             "Exceeded our expectations.", "A brilliant speaker.", "Superb from start to finish."),
            ("Lively examples and plenty of practice; people kept asking questions afterwards.",
             "Spot on for our needs, and the team is already using it.",
             "Clear structure and not a minute wasted.",
             "Special thanks for staying on to answer questions.",
             "Colleagues are asking us to invite the speaker again."),
        ),
        4: Review(
            ("A good talk.", "Useful and to the point.", "We're very pleased overall."),
            ("We ran a little short of time for questions.",
             "More examples from our industry would have helped.",
             "The first half was stronger than the second.",
             "The slides could do with an update; otherwise great."),
        ),
        3: Review(
            ("Decent, but no revelations.", "An average session."),
            ("Much of it was already familiar to the team.",
             "The pace was too fast for newcomers.", "Some of the examples felt dated."),
        ),
        2: Review(
            ("We expected more.", "Not quite what we agreed on."),
            ("The talk drifted away from the advertised topic.", "It started twenty minutes late.",
             "Few specifics and a lot of generalities."),
        ),
        1: Review(
            ("Disappointing.", "We wouldn't recommend it."),
            ("The speaker wasn't prepared for our audience.",
             "Half the time went on technical problems and digressions."),
        ),
    },
}  # fmt: skip

MONTHS = {
    RU: ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
         "октября", "ноября", "декабря"),
    EN: ("January", "February", "March", "April", "May", "June", "July", "August", "September",
         "October", "November", "December"),
}  # fmt: skip
# A lecture's local date and time as a chat line names it: "14 марта в 15:00".
WHEN = {RU: "{day} {month} в {time}", EN: "{day} {month} at {time}"}


def _hours(days: str, intervals: str) -> dict[str, list[dict[str, str]]]:
    """Working hours in the shape of API.md section 12: _hours("mon tue", "10:00-14:00")."""
    spans = [
        dict(zip(("start", "end"), span.split("-"), strict=True)) for span in intervals.split()
    ]
    return {day: spans for day in days.split()}


# Public holidays (month, day) on which lecturers of the language take no orders.
DAYS_OFF = {
    RU: {(1, day) for day in range(1, 9)} | {(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)},
    EN: {(1, 1), (12, 25), (12, 26)},
}

WEEKDAYS = "mon tue wed thu fri"
# Lecturers' weekly working hours, in their city's local time, as API.md section 12 will keep
# them on the profile. Every interval is at least three hours long, so that the longest
# lecture fits in each.
WORKING_WEEKS = (
    _hours(WEEKDAYS, "10:00-14:00 15:00-19:00"),
    _hours(WEEKDAYS, "09:00-13:00 14:00-18:00") | _hours("sat", "11:00-15:00"),
    _hours("mon tue wed thu", "12:00-16:00 17:00-20:00") | _hours("fri", "10:00-14:00"),
    _hours("tue wed thu fri", "10:00-13:00 14:00-19:00") | _hours("sat", "10:00-16:00"),
)
