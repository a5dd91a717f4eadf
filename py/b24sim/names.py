"""Word pools for the synthetic portal: people, companies, titles (ru / en).

Plain tuples, built once at import; the generator only indexes into them.
"""

RU_MALE = (
    "Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим",
    "Василий", "Виктор", "Владимир", "Владислав", "Геннадий", "Григорий",
    "Денис", "Дмитрий", "Евгений", "Егор", "Иван", "Игорь", "Илья", "Кирилл",
    "Константин", "Леонид", "Максим", "Михаил", "Никита", "Николай", "Олег",
    "Павел", "Пётр", "Роман", "Руслан", "Сергей", "Станислав", "Степан",
    "Тимур", "Фёдор", "Юрий", "Ярослав", "Глеб",
)
RU_FEMALE = (
    "Александра", "Алина", "Алла", "Анастасия", "Анна", "Валентина", "Вера",
    "Виктория", "Галина", "Дарья", "Евгения", "Екатерина", "Елена", "Жанна",
    "Зоя", "Инна", "Ирина", "Карина", "Кристина", "Ксения", "Лариса",
    "Любовь", "Людмила", "Маргарита", "Марина", "Мария", "Надежда", "Наталья",
    "Нина", "Оксана", "Ольга", "Полина", "Светлана", "Софья", "Тамара",
    "Татьяна", "Ульяна", "Юлия", "Яна", "Вероника",
)
# Male forms; the female form is derived (-ов -> -ова, -ин -> -ина, ...).
RU_LAST = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов",
    "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев",
    "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов",
    "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров",
    "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов",
    "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев",
    "Королёв", "Гусев", "Киселёв", "Ильин", "Максимов", "Поляков", "Сорокин",
    "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов",
    "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев",
    "Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов",
    "Марков", "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников",
    "Денисов", "Гаврилов", "Тихонов", "Казаков", "Афанасьев", "Данилов",
    "Савельев", "Тимофеев", "Фомин", "Чернов", "Абрамов", "Мартынов",
    "Ефимов", "Федотов", "Щербаков", "Назаров", "Калинин", "Исаев",
    "Чернышёв", "Быков", "Маслов", "Родионов", "Коновалов", "Лазарев",
    "Воронин", "Климов", "Филатов", "Пономарёв", "Голубев", "Кудрявцев",
    "Прохоров", "Наумов", "Потапов", "Журавлёв", "Овчинников", "Трофимов",
    "Леонов", "Соболев", "Ермаков", "Колесников", "Гончаров", "Емельянов",
    "Никифоров", "Грачёв", "Котов", "Гришин", "Ефремов", "Архипов", "Громов",
    "Кириллов", "Малышев", "Панов", "Моисеев", "Румянцев", "Акимов",
    "Кондратьев", "Бирюков", "Горбунов", "Анисимов", "Ерёмин", "Тихомиров",
    # indeclinable: the same for both genders
    "Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Ким", "Цой", "Дзюба",
)
RU_PATRONYMIC = (
    ("Александрович", "Александровна"), ("Алексеевич", "Алексеевна"),
    ("Андреевич", "Андреевна"), ("Борисович", "Борисовна"),
    ("Викторович", "Викторовна"), ("Владимирович", "Владимировна"),
    ("Дмитриевич", "Дмитриевна"), ("Евгеньевич", "Евгеньевна"),
    ("Иванович", "Ивановна"), ("Игоревич", "Игоревна"),
    ("Михайлович", "Михайловна"), ("Николаевич", "Николаевна"),
    ("Олегович", "Олеговна"), ("Павлович", "Павловна"),
    ("Петрович", "Петровна"), ("Сергеевич", "Сергеевна"),
    ("Юрьевич", "Юрьевна"), ("Анатольевич", "Анатольевна"),
    ("Геннадьевич", "Геннадьевна"), ("Васильевич", "Васильевна"),
)

EN_MALE = (
    "James", "John", "Robert", "Michael", "William", "David", "Richard",
    "Joseph", "Thomas", "Charles", "Daniel", "Matthew", "Anthony", "Mark",
    "Steven", "Paul", "Andrew", "Joshua", "Kevin", "Brian", "George",
    "Edward", "Ryan", "Jacob", "Gary", "Nicholas", "Eric", "Jonathan",
    "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel",
    "Oliver", "Harry", "Jack", "Noah", "Liam",
)
EN_FEMALE = (
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan",
    "Jessica", "Sarah", "Karen", "Lisa", "Nancy", "Betty", "Margaret",
    "Sandra", "Ashley", "Kimberly", "Emily", "Donna", "Michelle", "Carol",
    "Amanda", "Melissa", "Deborah", "Stephanie", "Rebecca", "Laura", "Sharon",
    "Cynthia", "Kathleen", "Amy", "Angela", "Helen", "Anna", "Emma", "Olivia",
    "Sophia", "Charlotte", "Amelia", "Grace",
)
EN_LAST = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
    "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez",
    "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
    "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
    "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
    "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
    "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz",
    "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris",
    "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan",
    "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos",
    "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood",
    "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price",
    "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross",
    "Foster", "Jimenez", "O'Brien", "O'Connor", "McDonald", "Schmidt",
    "Müller", "Novak", "Dubois", "Rossi", "Kowalski",
)

RU_CO_FORMS = ("ООО", "ООО", "ООО", "ООО", "АО", "ПАО", "ЗАО", "ГК", "ТД", "")
RU_CO_ROOTS = (
    "Ромашка", "Вектор", "Альфа", "Гранит", "Меридиан", "Орион", "Сфера",
    "Стройинвест", "Северный ветер", "Феникс", "Атлант", "Восход", "Эталон",
    "Импульс", "Кристалл", "Магистраль", "Прогресс", "Радуга", "Сигма",
    "Спектр", "Стандарт", "Форвард", "Триумф", "Гелиос", "Континент",
    "Пульсар", "Ресурс", "Берёзка", "Волга", "Уралсталь", "Байкал",
    "Сибирский берег", "Полюс", "Горизонт", "Азимут", "Арсенал", "Велес",
    "Дельта", "Заря", "Исток", "Капитал", "Лидер", "Монолит", "Надежда",
    "Оникс", "Партнёр", "Рубин", "Светоч", "Темп", "Успех", "Факел",
    "Химпром", "Цитадель", "Элемент", "Юпитер", "Янтарь", "Аврора",
    "Бриз", "Вертикаль", "Гарант", "Династия", "Енисей", "Жемчуг",
)
RU_CO_PRE = ("Техно", "Строй", "Агро", "Мед", "Транс", "Энерго", "Инфо",
             "Промо", "Эко", "Нефте", "Авто", "Фарм", "Электро", "Спец",
             "Гео", "Теле", "Рос", "Север", "Юг", "Бизнес")
RU_CO_SUF = ("сервис", "пром", "лайн", "снаб", "торг", "комплект", "систем",
             "маркет", "логистик", "групп", "строй", "мир", "проект", "тех",
             "ресурс", "инвест", "стиль", "вектор")

EN_CO_FORMS = ("LLC", "LLC", "Inc.", "Inc.", "Ltd", "Ltd", "GmbH", "Co.",
               "Corp.", "", "", "PLC", "LLP")
EN_CO_ROOTS = (
    "Acme", "Northwind", "Globex", "Initech", "Umbrella", "Contoso",
    "Fabrikam", "Tailspin", "Litware", "Adventure Works", "Blue Yonder",
    "Bluebird", "Cedar", "Evergreen", "Harbor", "Maple", "Pinnacle",
    "Redwood", "Silverline", "Summit", "Sunrise", "Vertex", "Zenith",
    "Atlas", "Beacon", "Cobalt", "Crescent", "Delta", "Eagle", "Falcon",
    "Granite", "Horizon", "Ironwood", "Juniper", "Keystone", "Lighthouse",
    "Meridian", "Nimbus", "Oakridge", "Orchid", "Polaris", "Quantum",
    "Riverside", "Sapphire", "Sterling", "Thunder", "Unity", "Vanguard",
    "Willow", "Yellowstone", "Aurora", "Bright", "Coastal", "Frontier",
)
EN_CO_SUF = ("Logistics", "Systems", "Foods", "Consulting", "Labs",
             "Industries", "Trading", "Media", "Solutions", "Partners",
             "Holdings", "Motors", "Retail", "Dental", "Studio", "Energy",
             "Capital", "Software", "Health", "Supply", "Design", "Group",
             "Analytics", "Robotics", "Farms", "Builders")

INDUSTRIES = ("IT", "MANUFACTURING", "TELECOM", "BANKING", "CONSULTING",
              "FINANCE", "GOVERNMENT", "DELIVERY", "ENTERTAINMENT",
              "NOTPROFIT", "OTHER")

RU_DEAL_TITLES = (
    "Поставка оборудования", "Разработка сайта", "Абонентское обслуживание",
    "Годовой контракт", "Пробная партия", "Внедрение CRM", "Ремонт офиса",
    "Консультация", "Продление лицензии", "Доставка материалов",
    "Монтаж вентиляции", "Обучение сотрудников", "Аудит", "Печать каталога",
    "Заказ с сайта", "Повторный заказ", "Тендер на поставку",
)
EN_DEAL_TITLES = (
    "Equipment supply", "Website development", "Support subscription",
    "Annual contract", "Pilot batch", "CRM implementation", "Office repair",
    "Consulting", "License renewal", "Materials delivery",
    "HVAC installation", "Staff training", "Audit", "Catalogue printing",
    "Web order", "Repeat order", "Supply tender",
)

# (provider, type id, provider type id, ru subject, en subject)
ACTIVITY_KINDS = {
    "call_in": ("VOXIMPLANT_CALL", "2", "CALL", "Входящий звонок", "Incoming call"),
    "call_out": ("VOXIMPLANT_CALL", "2", "CALL", "Исходящий звонок", "Outgoing call"),
    "email_in": ("CRM_EMAIL", "4", "EMAIL", "Re: коммерческое предложение", "Re: quotation"),
    "email_out": ("CRM_EMAIL", "4", "EMAIL", "Коммерческое предложение", "Quotation"),
    "meeting": ("CRM_MEETING", "1", "MEETING", "Встреча в офисе клиента", "Meeting at the client's office"),
    # PROVIDER_TYPE_ID of an open-line session is replaced by its connector id
    "openline": ("IMOPENLINES_SESSION", "6", "IMOPENLINE_SESSION", "Обращение в открытую линию",
                 "Open channel conversation"),
    "todo": ("CRM_TODO", "6", "TODO", "Перезвонить клиенту", "Call the client back"),
    "task": ("CRM_TASKS_TASK", "6", "TASKS_TASK", "Подготовить договор", "Prepare the contract"),
}
OPENLINE_CONNECTORS = ("livechat", "telegrambot", "whatsappbyedna", "vkgroup",
                       "facebook", "viber", "avito")

DIRTY_HTML = (
    "<b>{}</b>", "<script>alert('{}')</script>", "<img src=x onerror=alert(1)>{}",
    "{} & Sons \"Ltd\"", "<i>{}</i> &amp; Co", "{}<br/>", "<a href=\"javascript:alert(1)\">{}</a>",
    "{} </td></tr><tr><td>",
)
DIRTY_HTML_LAST = tuple(pattern if pattern.startswith("{}") else "{} " + pattern.replace("{}", "x")
                        for pattern in DIRTY_HTML)
"""The same markup after the name (the demo's data: hostile names are not the first of the list)."""
EMOJI = ("😊", "🌸", "🚀", "🔥", "💼", "⭐", "👍", "🍕", "❤️", "🏢", "🇷🇺", "👨‍💻")
WHITESPACE = (" ", "   ", "\t", "\u00a0", " \n ", "\u3000")

TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}


def latin(text: str) -> str:
    """Lower-case ASCII slug of a name (transliterating Cyrillic)."""
    out = []
    for ch in text.lower():
        if ch in TRANSLIT:
            out.append(TRANSLIT[ch])
        elif "a" <= ch <= "z" or "0" <= ch <= "9":
            out.append(ch)
    return "".join(out) or "x"


def ru_female_last(last: str) -> str:
    if last.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return last + "а"
    return last
