"""The demo's words: engagement titles and summaries, agreement titles and subjects."""

from __future__ import annotations

TITLE_PHRASES = {
    "meeting": ("bilateral meeting", "senior officials meeting", "working-level meeting"),
    "delegation": ("delegation visit", "senior leader visit", "site visit"),
    "training": ("training course", "train-the-trainer course", "instructor-led training"),
    "technical_assistance": ("technical assistance", "capacity-building mission", "assessment visit"),
    "information_exchange": ("technical exchange", "information-sharing session", "expert exchange"),
    "conference": ("regional conference", "working group conference", "annual dialogue"),
}

# Summary: subject, verb in (past, future, cancelled) form, object with {country} and {topic}.
SUMMARY_PARTS = {
    "meeting": (
        "{comp} officials",
        ("met", "will meet", "were scheduled to meet"),
        "counterparts from {country} to discuss {topic}.",
    ),
    "delegation": (
        "{a} {comp} delegation",
        ("visited", "will visit", "was scheduled to visit"),
        "{country} to review {topic}.",
    ),
    "training": (
        "{comp} instructors",
        ("trained", "will train", "were scheduled to train"),
        "officials from {country} in {topic}.",
    ),
    "technical_assistance": (
        "{comp} experts",
        ("advised", "will advise", "were scheduled to advise"),
        "authorities in {country} on {topic}.",
    ),
    "information_exchange": (
        "{comp} analysts",
        ("exchanged information with", "will exchange information with", "were scheduled to exchange information with"),
        "counterparts from {country} on {topic}.",
    ),
    "conference": (
        "{comp} representatives",
        ("joined", "will join", "were scheduled to join"),
        "partners from {country} at a conference on {topic}.",
    ),
}
CANCELLED_NOTE = " The engagement was cancelled."

# Topics are generic on purpose: any of them fits any partner (no "Preclearance" talk where there is none).
TOPICS = {
    "visa": ("traveler screening standards", "visa security vetting", "passenger data and identity verification"),
    "aviation": (
        "last-point-of-departure airport security",
        "passenger and baggage screening",
        "air cargo screening standards",
    ),
    "cargo": (
        "container targeting and port security",
        "supply-chain security",
        "customs risk management and trade facilitation",
    ),
    "border": (
        "border management and officer training",
        "land and maritime border interdiction",
        "detecting fraudulent travel documents",
    ),
    "immigration": (
        "migration management and lawful pathways",
        "asylum and refugee processing",
        "returns and readmission",
    ),
    "law_enforcement": (
        "transnational organized crime investigations",
        "human smuggling and trafficking cases",
        "financial crime and cyber-enabled fraud",
    ),
    "counterterrorism": ("terrorist travel and watchlisting", "threat information sharing", "soft-target protection"),
}

AGREEMENT_TYPE_TITLE = {
    "mou": "Memorandum of Understanding",
    "arrangement": "Arrangement",
    "agreement": "Agreement",
    "treaty": "Treaty",
    "joint_statement": "Joint Statement",
}
AGREEMENT_SUBJECTS = {
    "visa": ("Visa Security Cooperation", "Sharing of Traveler Screening Information"),
    "aviation": ("Aviation Security Cooperation", "Civil Aviation Security Screening"),
    "cargo": (
        "Cargo Security Cooperation",
        "Container Security and Supply Chain Cooperation",
        "Mutual Assistance in Customs Matters",
    ),
    "border": ("Border Security Cooperation", "Border Management and Training"),
    "immigration": ("Migration Cooperation", "Returns and Readmission", "Asylum Cooperation"),
    "law_enforcement": (
        "Enhancing Cooperation in Preventing and Combating Serious Crime",
        "Law Enforcement Cooperation",
        "Combating Transnational Organized Crime",
    ),
    "counterterrorism": ("Counter-Terrorism Cooperation", "Sharing Screening Information to Counter Terrorist Travel"),
}
