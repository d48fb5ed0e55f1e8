"""Words the simulated world is written with: names, bios, captions, comments, brands, labels.

French and English carry most of the world (with accents and emoji, as real feeds do); Spanish,
German, Italian and Portuguese get enough to make language detection and country filters matter.
"""

from __future__ import annotations

TOPICS: tuple[str, ...] = (
    "beauty",
    "fashion",
    "lifestyle",
    "food",
    "travel",
    "gaming",
    "tech",
    "sport",
    "parenting",
    "finance",
    "fitness",
    "pets",
)
# Relative popularity of topics among creators (lifestyle, beauty and fashion are the crowded ones).
TOPIC_WEIGHTS: tuple[float, ...] = (0.13, 0.12, 0.14, 0.11, 0.08, 0.08, 0.06, 0.07, 0.06, 0.04, 0.07, 0.04)
# Engagement multiplier per topic (saves matter in food and travel; finance audiences are quieter).
TOPIC_ENGAGEMENT: dict[str, float] = {
    "beauty": 1.0,
    "fashion": 0.9,
    "lifestyle": 0.85,
    "food": 1.15,
    "travel": 1.05,
    "gaming": 1.25,
    "tech": 0.8,
    "sport": 1.1,
    "parenting": 1.2,
    "finance": 0.7,
    "fitness": 1.1,
    "pets": 1.35,
}
TOPIC_SAVES: dict[str, float] = {
    "beauty": 0.08,
    "fashion": 0.07,
    "lifestyle": 0.05,
    "food": 0.18,
    "travel": 0.14,
    "gaming": 0.02,
    "tech": 0.06,
    "sport": 0.04,
    "parenting": 0.07,
    "finance": 0.12,
    "fitness": 0.11,
    "pets": 0.03,
}
# Share of the audience that is female, per topic.
TOPIC_FEMALE: dict[str, float] = {
    "beauty": 0.86,
    "fashion": 0.78,
    "lifestyle": 0.7,
    "food": 0.62,
    "travel": 0.58,
    "gaming": 0.22,
    "tech": 0.25,
    "sport": 0.35,
    "parenting": 0.82,
    "finance": 0.33,
    "fitness": 0.55,
    "pets": 0.68,
}

# language, country, weight, cities
LOCALES: tuple[tuple[str, str, float, tuple[str, ...]], ...] = (
    (
        "fr",
        "FR",
        0.40,
        (
            "Paris",
            "Lyon",
            "Marseille",
            "Bordeaux",
            "Lille",
            "Nantes",
            "Toulouse",
            "Montpellier",
            "Rennes",
            "Strasbourg",
        ),
    ),
    ("fr", "BE", 0.04, ("Bruxelles", "Liège", "Namur", "Charleroi")),
    ("fr", "CA", 0.04, ("Montréal", "Québec", "Gatineau", "Sherbrooke")),
    ("fr", "CH", 0.02, ("Genève", "Lausanne", "Neuchâtel", "Fribourg")),
    ("en", "US", 0.18, ("New York", "Los Angeles", "Austin", "Chicago", "Miami", "Seattle")),
    ("en", "GB", 0.10, ("London", "Manchester", "Bristol", "Edinburgh", "Leeds")),
    ("en", "CA", 0.02, ("Toronto", "Vancouver", "Calgary")),
    ("es", "ES", 0.07, ("Madrid", "Barcelona", "Valencia", "Sevilla")),
    ("de", "DE", 0.05, ("Berlin", "München", "Hamburg", "Köln")),
    ("it", "IT", 0.04, ("Milano", "Roma", "Torino", "Napoli")),
    ("pt", "BR", 0.04, ("São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba")),
)
# Where bought followers come from: far from the creator's own audience.
FAKE_AUDIENCE_COUNTRIES: tuple[str, ...] = ("IN", "ID", "BD", "PK", "NG", "VN", "EG")

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Léa",
        "Chloé",
        "Manon",
        "Camille",
        "Inès",
        "Zoé",
        "Jade",
        "Louise",
        "Hugo",
        "Lucas",
        "Théo",
        "Nathan",
        "Maël",
        "Éloïse",
        "Clémence",
        "Anaïs",
        "Gaëlle",
        "Mathis",
        "Jérôme",
        "Noémie",
        "Océane",
        "Amélie",
    ),
    "en": (
        "Emma",
        "Olivia",
        "Ava",
        "Mia",
        "Grace",
        "Lily",
        "Jack",
        "Liam",
        "Noah",
        "Ethan",
        "Harry",
        "Chloe",
        "Sophie",
        "Ruby",
        "Oscar",
        "Leo",
        "Isla",
        "Freya",
        "Mason",
        "Ella",
    ),
    "es": ("Lucía", "Sofía", "Martina", "Pablo", "Álvaro", "Hugo", "Valeria", "Carmen"),
    "de": ("Lena", "Hannah", "Mia", "Jonas", "Lukas", "Finn", "Sophie", "Jürgen"),
    "it": ("Giulia", "Sofia", "Aurora", "Lorenzo", "Matteo", "Leonardo", "Chiara", "Niccolò"),
    "pt": ("Ana", "Beatriz", "Júlia", "João", "Gabriel", "Lucas", "Larissa", "Thaís"),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Martin",
        "Bernard",
        "Dubois",
        "Thomas",
        "Robert",
        "Richard",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
        "Lefèvre",
        "Girard",
        "Bonnet",
        "Lemaître",
        "Fontaine",
        "Chevalier",
        "Rousseau",
        "Mercier",
    ),
    "en": (
        "Smith",
        "Johnson",
        "Williams",
        "Brown",
        "Taylor",
        "Davies",
        "Evans",
        "Wilson",
        "Clarke",
        "Walker",
        "Wright",
        "Hughes",
        "Green",
        "Hall",
        "Wood",
        "Turner",
    ),
    "es": ("García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz"),
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker"),
    "it": ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"),
    "pt": ("Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira"),
}

# Short words that creators put in their handles, per topic.
HANDLE_WORDS: dict[str, tuple[str, ...]] = {
    "beauty": ("beauty", "glow", "makeup", "skin", "blush"),
    "fashion": ("style", "looks", "dressing", "mode", "outfits"),
    "lifestyle": ("life", "daily", "vibes", "journal", "home"),
    "food": ("cuisine", "kitchen", "recettes", "eats", "foodie"),
    "travel": ("travels", "wander", "voyage", "roads", "trips"),
    "gaming": ("gaming", "plays", "gg", "pixel", "stream"),
    "tech": ("tech", "geek", "gadgets", "code", "unbox"),
    "sport": ("run", "sport", "trail", "bike", "match"),
    "parenting": ("maman", "family", "papa", "kids", "tribu"),
    "finance": ("money", "invest", "budget", "finance", "eco"),
    "fitness": ("fit", "gym", "yoga", "muscu", "move"),
    "pets": ("dog", "chat", "pets", "paws", "woof"),
}

# Topic phrases used in bios and captions: (French, English).
TOPIC_PHRASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "beauty": (
        (
            "routine skincare minimaliste",
            "maquillage naturel et cosmétiques bio",
            "soins du visage testés pour vous",
            "beauté clean à petit prix",
            "mes indispensables de la salle de bain",
        ),
        (
            "minimal skincare routine",
            "everyday natural makeup",
            "honest beauty reviews",
            "clean beauty on a budget",
            "my bathroom shelf essentials",
        ),
    ),
    "fashion": (
        (
            "mode éthique et seconde main",
            "looks du quotidien",
            "dressing capsule",
            "friperie et pièces vintage",
            "tenues de la semaine",
        ),
        (
            "ethical fashion and thrift finds",
            "everyday outfits",
            "capsule wardrobe",
            "vintage pieces I love",
            "outfits of the week",
        ),
    ),
    "lifestyle": (
        (
            "petits bonheurs du quotidien",
            "déco, plantes et cafés",
            "slow life et organisation",
            "ma vie en appartement",
            "week-end tranquille à la maison",
        ),
        (
            "little joys of everyday life",
            "home decor, plants and coffee",
            "slow living and organisation",
            "apartment life",
            "a quiet weekend at home",
        ),
    ),
    "food": (
        (
            "cuisine végane à Lyon",
            "recettes faciles et gourmandes",
            "pâtisserie maison",
            "cuisine de saison",
            "bonnes adresses et brunchs",
            "batch cooking du dimanche",
        ),
        (
            "easy plant-based recipes",
            "homemade baking",
            "seasonal cooking",
            "best brunch spots in town",
            "sunday meal prep",
            "comfort food made simple",
        ),
    ),
    "travel": (
        (
            "voyages en van et randonnées",
            "week-ends en Europe",
            "road trip en Bretagne",
            "carnets de voyage",
            "escapades nature pas chères",
        ),
        (
            "van life and hiking",
            "weekend city breaks",
            "road trip stories",
            "travel diaries",
            "budget nature getaways",
        ),
    ),
    "gaming": (
        (
            "jeux indés et rétro",
            "streams tous les soirs",
            "astuces et speedruns",
            "découvertes de jeux vidéo",
            "setup gaming et PC",
        ),
        (
            "indie and retro games",
            "streaming every night",
            "tips and speedruns",
            "new game discoveries",
            "gaming setup and PC builds",
        ),
    ),
    "tech": (
        (
            "tests de gadgets high-tech",
            "smartphones et accessoires",
            "tutos informatique",
            "domotique facile",
            "unboxing et comparatifs",
        ),
        (
            "gadget reviews",
            "smartphones and accessories",
            "computer tutorials",
            "smart home made easy",
            "unboxings and comparisons",
        ),
    ),
    "sport": (
        (
            "course à pied et trail",
            "vélo et sorties longues",
            "préparation marathon",
            "sport en plein air",
            "football amateur",
        ),
        (
            "running and trail",
            "cycling long rides",
            "marathon training",
            "outdoor sport",
            "sunday league football",
        ),
    ),
    "parenting": (
        (
            "vie de maman de trois enfants",
            "activités avec les enfants",
            "parentalité bienveillante",
            "astuces de parents",
            "recettes pour toute la famille",
        ),
        (
            "mum of three",
            "activities with the kids",
            "gentle parenting",
            "parenting hacks",
            "family-friendly recipes",
        ),
    ),
    "finance": (
        (
            "budget et épargne simplement",
            "investir en bourse sans stress",
            "finances personnelles",
            "indépendance financière",
            "conseils pour économiser",
        ),
        (
            "budgeting and saving made simple",
            "investing without stress",
            "personal finance",
            "financial independence",
            "money-saving tips",
        ),
    ),
    "fitness": (
        (
            "yoga et mobilité",
            "musculation au naturel",
            "séances courtes à la maison",
            "remise en forme après bébé",
            "coach sportive à Bordeaux",
        ),
        (
            "yoga and mobility",
            "natural strength training",
            "short home workouts",
            "postpartum fitness",
            "personal trainer in London",
        ),
    ),
    "pets": (
        (
            "la vie de mon chat",
            "aventures d'un golden retriever",
            "conseils pour chiots",
            "animaux adoptés",
            "balades avec mon chien",
        ),
        (
            "life with my cat",
            "adventures of a golden retriever",
            "puppy tips",
            "adopted pets",
            "walks with my dog",
        ),
    ),
}
OTHER_LANGUAGE_PHRASES: dict[str, tuple[str, ...]] = {
    "es": ("recetas fáciles y caseras", "moda y estilo de vida", "viajes y aventuras", "mi día a día"),
    "de": ("einfache Rezepte für jeden Tag", "Mode und Lifestyle", "Reisen und Abenteuer", "mein Alltag"),
    "it": ("ricette facili e veloci", "moda e stile di vita", "viaggi e avventure", "la mia vita quotidiana"),
    "pt": ("receitas fáceis e gostosas", "moda e estilo de vida", "viagens e aventuras", "meu dia a dia"),
}

TOPIC_HASHTAGS: dict[str, tuple[str, ...]] = {
    "beauty": ("skincare", "makeup", "beauté", "cleanbeauty", "routinebeauté", "glowup", "maquillage"),
    "fashion": ("ootd", "mode", "vintage", "secondemain", "outfit", "style", "thrift"),
    "lifestyle": ("lifestyle", "déco", "slowlife", "homedecor", "cosy", "dailylife", "plantes"),
    "food": ("vegan", "recette", "foodporn", "faitmaison", "cuisine", "brunch", "végétarien"),
    "travel": ("travel", "voyage", "vanlife", "roadtrip", "wanderlust", "rando", "bretagne"),
    "gaming": ("gaming", "twitch", "retrogaming", "indiegame", "gamer", "speedrun", "pcgaming"),
    "tech": ("tech", "unboxing", "smartphone", "gadget", "domotique", "geek", "review"),
    "sport": ("running", "trail", "marathon", "vélo", "cycling", "football", "sport"),
    "parenting": ("maman", "parentalité", "momlife", "famille", "enfants", "bébé", "kids"),
    "finance": ("finance", "épargne", "investir", "budget", "bourse", "money", "fire"),
    "fitness": ("fitness", "yoga", "workout", "musculation", "gym", "mobility", "sportmaison"),
    "pets": ("dogsofinstagram", "chat", "catlife", "chien", "adoption", "puppy", "petlover"),
}

CAPTION_OPENERS: dict[str, tuple[str, ...]] = {
    "fr": (
        "Nouvelle vidéo !",
        "Petit moment du jour ✨",
        "Vous me l'avez demandé :",
        "On teste ensemble ?",
        "Mon avis honnête sur",
        "Dimanche parfait :",
        "Je vous emmène avec moi 👉",
        "Coup de cœur de la semaine :",
        "Retour sur",
        "Enfin !",
    ),
    "en": (
        "New video!",
        "Little moment of the day ✨",
        "You asked for it:",
        "Let's try this together?",
        "My honest take on",
        "Perfect sunday:",
        "Come along with me 👉",
        "Favourite of the week:",
        "Throwback to",
        "Finally!",
    ),
    "es": ("¡Nuevo vídeo!", "Momento del día ✨", "Me lo pedisteis:"),
    "de": ("Neues Video!", "Moment des Tages ✨", "Ihr habt gefragt:"),
    "it": ("Nuovo video!", "Momento del giorno ✨", "Me l'avete chiesto:"),
    "pt": ("Vídeo novo!", "Momento do dia ✨", "Vocês pediram:"),
}
CAPTION_CLOSERS: dict[str, tuple[str, ...]] = {
    "fr": (
        "Dites-moi en commentaire ce que vous en pensez 👇",
        "Enregistrez pour plus tard !",
        "",
        "",
        "Bonne soirée 💛",
        "Qui a déjà essayé ?",
    ),
    "en": (
        "Let me know what you think below 👇",
        "Save it for later!",
        "",
        "",
        "Have a lovely evening 💛",
        "Who has tried this?",
    ),
    "es": ("¿Qué os parece? 👇", ""),
    "de": ("Was meint ihr? 👇", ""),
    "it": ("Che ne pensate? 👇", ""),
    "pt": ("O que vocês acham? 👇", ""),
}
EMOJI: tuple[str, ...] = ("✨", "💛", "🌿", "🔥", "😍", "🙌", "☀️", "🍂", "💪", "📸", "🎮", "🐾", "🥐", "🌍")

BIO_EXTRAS: dict[str, tuple[str, ...]] = {
    "fr": (
        "📍 France",
        "Collabs par e-mail 📩",
        "Nouvelle vidéo chaque mardi",
        "Partage sans prise de tête",
        "Maman, rêveuse et gourmande",
        "Ici on parle vrai",
    ),
    "en": (
        "DM for collabs 📩",
        "New video every tuesday",
        "Sharing the good stuff",
        "Coffee addict ☕",
        "Real talk only",
        "Based in the UK",
    ),
    "es": ("Colaboraciones por email 📩",),
    "de": ("Kooperationen per Mail 📩",),
    "it": ("Collaborazioni via email 📩",),
    "pt": ("Parcerias por email 📩",),
}

# Genuine comments refer to the post; generic ones could be under any post (the pod and bot signature).
GENUINE_COMMENTS: dict[str, tuple[str, ...]] = {
    "fr": (
        "Trop belle cette recette, je la teste ce week-end !",
        "Tu l'as trouvé où ce pull ? Il est magnifique",
        "Merci pour le conseil, ça marche super bien sur ma peau",
        "J'adore ta façon d'expliquer, enfin clair !",
        "On y était l'été dernier, c'est encore plus beau en vrai",
        "Ça me donne trop envie de repartir",
        "Tu recommandes quelle taille ? Je fais du 38 d'habitude",
        "Génial, mes enfants ont adoré l'activité",
        "Le passage à 2:30 m'a fait rire 😂",
        "Combien de temps de cuisson au final ?",
        "Je suis pas d'accord sur le prix, mais la qualité est top",
        "Tu peux faire une version sans gluten ?",
    ),
    "en": (
        "This recipe looks amazing, trying it this weekend!",
        "Where did you get that jumper? It's gorgeous",
        "Thanks for the tip, it really works on my skin",
        "Love how you explain things, finally clear!",
        "We were there last summer, it's even better in real life",
        "Makes me want to travel again",
        "What size would you recommend? I'm usually a 10",
        "My kids loved this activity, thank you",
        "The bit at 2:30 made me laugh 😂",
        "How long did it bake in the end?",
        "Not sure about the price but the quality looks great",
        "Could you do a gluten-free version?",
    ),
    "es": (
        "¡Qué receta tan buena, la pruebo este finde!",
        "¿Dónde compraste ese jersey?",
        "Gracias por el consejo",
    ),
    "de": ("Tolles Rezept, probiere ich am Wochenende!", "Wo hast du den Pulli her?", "Danke für den Tipp"),
    "it": (
        "Che bella ricetta, la provo nel weekend!",
        "Dove hai preso quel maglione?",
        "Grazie per il consiglio",
    ),
    "pt": (
        "Que receita linda, vou testar no fim de semana!",
        "Onde você comprou essa blusa?",
        "Obrigada pela dica",
    ),
}
GENERIC_COMMENTS: tuple[str, ...] = (
    "nice pic 🔥",
    "love it",
    "so cute 😍",
    "amazing!!",
    "wow",
    "great content",
    "🔥🔥🔥",
    "😍😍😍",
    "❤️",
    "👏👏",
    "trop beau !",
    "magnifique",
    "top 🔥",
    "j'adore",
    "superbe 😍",
    "great post",
    "awesome",
    "beautiful 💯",
    "keep it up",
    "love this ❤️",
)
BOT_COMMENTS: tuple[str, ...] = (
    "nice pic 🔥",
    "🔥🔥🔥",
    "😍",
    "check my profile 💋",
    "promote it on @viral.boost.page",
    "DM us for collab 💰",
    "wow amazing",
    "👏👏👏",
    "great 😍",
    "send pic to @shoutout_promo_24",
)
CREATOR_REPLIES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Merci beaucoup ❤️",
        "Avec plaisir !",
        "Oui, dans ma story à la une 😉",
        "Trop contente que ça te plaise",
        "Je note pour une prochaine vidéo !",
    ),
    "en": (
        "Thank you so much ❤️",
        "My pleasure!",
        "Yes, it's in my highlights 😉",
        "So glad you like it",
        "Noted for a future video!",
    ),
    "es": ("¡Mil gracias! ❤️",),
    "de": ("Vielen Dank! ❤️",),
    "it": ("Grazie mille! ❤️",),
    "pt": ("Muito obrigada! ❤️",),
}

BRANDS: dict[str, tuple[str, ...]] = {
    "beauty": ("lumiere.cosmetics", "peaudouce.paris", "glowlab"),
    "fashion": ("maison.lin", "threadbare.co", "atelier.sept"),
    "lifestyle": ("cosy.nest", "bougies.aurore", "dailybrew"),
    "food": ("verdure.box", "farine.et.co", "oatly.like"),
    "travel": ("trainline.like", "valises.nomade", "hostelhop"),
    "gaming": ("pixelforge", "manette.pro", "gamefuel"),
    "tech": ("ondes.audio", "chargemate", "techno.brico"),
    "sport": ("foulee.shoes", "velocity.gear", "hydra.drink"),
    "parenting": ("petitpas.bebe", "tinytoys", "familybox"),
    "finance": ("neobank.fr", "budgetapp", "epargne.plus"),
    "fitness": ("tapis.zen", "proteo", "flexband"),
    "pets": ("croquettes.bio", "pawsome.box", "litiere.eco"),
}
# How sponsored posts carry their disclosure: caption label, hashtag label, or the platform's flag.
DISCLOSURE_LABELS: dict[str, tuple[str, ...]] = {
    "fr": ("Publicité", "Collaboration commerciale", "#publicité", "#partenariat"),
    "en": ("#ad", "Sponsored", "#BrandPartner", "#ad"),
    "es": ("#publicidad",),
    "de": ("#werbung", "Anzeige"),
    "it": ("#adv", "#pubblicità"),
    "pt": ("#publi", "#publicidade"),
}
PROMO_PHRASES: dict[str, tuple[str, ...]] = {
    "fr": (
        "-15% avec mon code {code} sur @{brand}",
        "Lien en bio, code {code} chez @{brand} 💛",
        "Mon code {code} marche sur tout le site @{brand}",
    ),
    "en": (
        "15% off with my code {code} at @{brand}",
        "Link in bio, code {code} at @{brand} 💛",
        "My code {code} works sitewide @{brand}",
    ),
    "es": ("Código {code} en @{brand}",),
    "de": ("Code {code} bei @{brand}",),
    "it": ("Codice {code} su @{brand}",),
    "pt": ("Cupom {code} na @{brand}",),
}
AGE_BANDS: tuple[str, ...] = ("13-17", "18-24", "25-34", "35-44", "45-54", "55+")

# Products brands send to creators in simulated campaigns: (name, unit value, variants) per topic.
CAMPAIGN_PRODUCTS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "beauty": (
        ("Glow serum", "34.00", ("30 ml", "50 ml")),
        ("Lip balm trio", "18.50", ("nude", "rose", "berry")),
    ),
    "fashion": (("Linen shirt", "69.00", ("S", "M", "L")), ("Canvas tote", "29.00", ("natural", "black"))),
    "lifestyle": (
        ("Scented candle", "24.00", ("fig", "cedar")),
        ("Linen duvet cover", "89.00", ("140x200", "240x220")),
    ),
    "food": (
        ("Vegan recipe box", "39.90", ("2 people", "4 people")),
        ("Organic granola", "9.90", ("nuts", "chocolate")),
    ),
    "travel": (
        ("Cabin suitcase", "129.00", ("sand", "navy")),
        ("Travel pouch set", "25.00", ("grey", "green")),
    ),
    "gaming": (
        ("Wireless controller", "59.00", ("black", "white")),
        ("Gaming headset", "79.00", ("standard",)),
    ),
    "tech": (("Wireless earbuds", "89.00", ("black", "white")), ("Fast charger", "29.90", ("USB-C",))),
    "sport": (("Trail shoes", "119.00", ("40", "42", "44")), ("Hydration vest", "49.00", ("S", "M", "L"))),
    "parenting": (
        ("Wooden toy set", "35.00", ("1-3 years", "3-6 years")),
        ("Baby carrier", "99.00", ("grey",)),
    ),
    "finance": (("Budget planner", "19.00", ("paper", "digital")), ("Premium account, 3 months", "0.00", ())),
    "fitness": (("Yoga mat", "45.00", ("blue", "sand")), ("Resistance bands", "22.00", ("light", "strong"))),
    "pets": (("Organic kibble", "29.90", ("cat", "dog")), ("Pet bed", "55.00", ("S", "M", "L"))),
}

# What each of a brand's campaigns is about, by the campaign's place in ``campaigns.CAMPAIGN_STATES``: a
# brand runs several campaigns on one product, and a brand tells them apart by name ("Scented candle:
# gift guide — Maison Verte"), never by an identical title.
CAMPAIGN_ANGLES: tuple[str, ...] = (
    "new season",
    "launch",
    "gift guide",
    "everyday favourites",
    "limited edition",
    "back in stock",
)

# Subtle sponsored posts and honest look-alikes (``Difficulty.subtle``); other languages use English.
# A sponsored post that only tags the brand: no label, no code, no link.
SUBTLE_TAG_PHRASES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Mon nouveau chouchou de chez @{brand} ✨",
        "Je ne quitte plus mon {product} @{brand}",
        "Routine du matin avec @{brand}, je vous en reparle vite",
    ),
    "en": (
        "My new favourite from @{brand} ✨",
        "Can't stop using my {product} from @{brand}",
        "Morning routine feat. @{brand}, more soon",
    ),
}
# A discount code given without the word "code".
SUBTLE_CODE_PHRASES: dict[str, tuple[str, ...]] = {
    "fr": (
        "-15 % avec {code} sur @{brand}",
        "-20% chez @{brand} avec {code} 🛒",
        "{code} = -10 % sur tout @{brand}",
    ),
    "en": (
        "15% off with {code} at @{brand}",
        "Save 20% at @{brand} with {code} 🛒",
        "{code} gets you 10% off @{brand}",
    ),
}
# Disclosed, but not the way the detector first learnt: a partnership wording first, or a label at the end.
SUBTLE_PARTNER_OPENERS: dict[str, tuple[str, ...]] = {
    "fr": ("En partenariat avec @{brand} :", "En collaboration commerciale avec @{brand} :"),
    "en": ("Paid partnership with @{brand}:", "Sponsored by @{brand}:"),
}
SUBTLE_END_LABELS: dict[str, tuple[str, ...]] = {"fr": ("#pub",), "en": ("#ad",)}
# Organic posts that look commercial: a denial with a brand tag, friends tagged, a club name with digits.
NOT_AN_AD_PHRASES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Pas de pub, j'adore juste mon {product} de chez @{brand}",
        "Ce n'est pas sponsorisé : j'aime vraiment @{brand}",
    ),
    "en": ("Not an ad, I just love my {product} from @{brand}", "Not sponsored, I simply love @{brand}"),
}
FRIEND_PHRASES: dict[str, tuple[str, ...]] = {
    "fr": ("Week-end avec @{friend} à la montagne", "Petit tour au marché avec @{friend}"),
    "en": ("Weekend with @{friend} in the mountains", "Sunday brunch with @{friend}"),
}
CLUB_PHRASES: dict[str, tuple[str, ...]] = {
    "fr": ("Sortie du dimanche : 15 km avec {club} 🏃", "Entraînement avec {club}, 20 % de pente à la fin"),
    "en": ("Sunday run: 15 km with {club} 🏃", "Training with {club}, 20% gradient at the end"),
}
SUBTLE_PRODUCTS: tuple[str, ...] = ("serum", "sneakers", "backpack", "blender", "jacket", "headphones")
