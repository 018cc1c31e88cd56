"""The words `flask bench-seed` writes: names, topics, agendas, minutes, document text."""

FIRST_NAMES = [
    "Ana", "Benjamín", "Camila", "Diego", "Elena", "Francisco", "Gabriela", "Héctor",
    "Isabel", "Joaquín", "Karen", "Lucas", "Martina", "Nicolás", "Olivia", "Pablo",
    "Rachel", "Samuel", "Tomás", "Valentina",
]  # fmt: skip
LAST_NAMES = [
    "Araya", "Brown", "Castro", "Davies", "Espinoza", "Fuentes", "García", "Hughes",
    "Ibáñez", "Jones", "Kelly", "López", "Morales", "Nash", "Ortiz", "Pérez",
    "Quinn", "Rojas", "Smith", "Vargas",
]  # fmt: skip
TOPICS = [
    ("Incident exchange protocol", "Protocolo de intercambio de incidentes"),
    ("CSIRT cooperation", "Cooperación entre CSIRT"),
    ("National strategy review", "Revisión de la estrategia nacional"),
    ("Training programme", "Programa de capacitación"),
    ("Critical infrastructure", "Infraestructura crítica"),
    ("Threat intelligence sharing", "Intercambio de inteligencia de amenazas"),
    ("Cyber exercise planning", "Planificación de ejercicio cibernético"),
    ("Legislation update", "Actualización legislativa"),
]
AGENDA = [
    "Opening and approval of the agenda",
    "Report on the actions of the previous meeting",
    "Update from each delegation",
    "Joint activities for the next quarter",
    "Any other business and next meeting",
]

MINUTES_MD = """# Minutes of the working group meeting

**Chair:** the co-chairs of both delegations. **Rapporteur:** the coordinator of the host party.

## Attendance

Present for the host party: the national cybersecurity coordinator, two analysts of the national
CSIRT, a representative of the Ministry of Foreign Affairs and the legal adviser of the Ministry of
the Interior. Present for the guest party: the head of the international cyber policy team, a
liaison officer of the national CSIRT and an officer of the embassy. The secretariat took notes.

## 1. Opening and approval of the agenda

The co-chairs opened the meeting and welcomed the delegations. The agenda circulated two weeks
before the meeting was approved without changes. The group noted the apologies of two members
who could not attend and agreed that their comments, sent in writing, would be read under item 3.

## 2. Report on the actions of the previous meeting

- The exchange of contact points between the national CSIRTs is **complete**; the list is kept
  in the shared folder and reviewed every quarter.
- The draft protocol for sharing incident indicators was circulated; comments from both parties
  were received and merged into [the second draft](https://example.org/protocol-draft-2).
- The joint training needs survey reached 48 institutions; 31 answered.

## 3. Update from each delegation

Each delegation presented the main developments since the last meeting: new legislation under
discussion, the state of the national cybersecurity strategy, and significant incidents that
may be of interest to the other party. The written comments of the absent members were read.

> The group stressed that information marked TLP:AMBER stays within the organisations of the
> members and must not be forwarded without the agreement of the party that shared it.

## 4. Joint activities for the next quarter

| Activity | Lead | Due |
| --- | --- | --- |
| Tabletop exercise on ransomware | Host party | End of next quarter |
| Second draft of the indicator-sharing protocol | Both CSIRTs | Six weeks |
| Workshop on secure software development | Guest party | To be confirmed |
| Review of the training survey results | Rapporteur | Next meeting |

The group discussed the budget needed for the exercise and agreed to ask each ministry for
support. Members offered speakers for the workshop; the list will be completed by e-mail.

## 5. Decisions

1. The second draft of the protocol will be circulated for comments within six weeks.
2. The tabletop exercise will take place online, in English and Spanish, with interpretation.
3. The next meeting will be held in person if the budget allows, otherwise by video.

## 6. Any other business and next meeting

No other business was raised. The co-chairs thanked the members for their work and closed the
meeting. The date of the next meeting will be confirmed by the secretariat, and these minutes
will be circulated to both co-chairs for approval.
"""

# code, English name, zone, language: the parties added to the demo's (other codes).
PARTIES = [
    ("MX", "Mexico", "America/Mexico_City", "es"),
    ("PE", "Peru", "America/Lima", "es"),
    ("PA", "Panama", "America/Panama", "es"),
    ("CA", "Canada", "America/Toronto", "en"),
    ("AU", "Australia", "Australia/Sydney", "en"),
    ("UY", "Uruguay", "America/Montevideo", "es"),
    ("EE", "Estonia", "Europe/Tallinn", "en"),
    ("JP", "Japan", "Asia/Tokyo", "en"),
    ("KE", "Kenya", "Africa/Nairobi", "en"),
]
SUMMARY = (
    "Cooperation on cybersecurity: exchange of information between the national CSIRTs, "
    "joint exercises, training of public officials and shared protocols."
)
ACTIONS = [
    ("Circulate the second draft of the protocol", "Circular el segundo borrador del protocolo"),
    ("Confirm the speakers of the workshop", "Confirmar a los expositores del taller"),
    ("Send the contact list of the CSIRT", "Enviar la lista de contactos del CSIRT"),
    ("Prepare the tabletop exercise", "Preparar el ejercicio de mesa"),
    ("Review the training survey", "Revisar la encuesta de capacitación"),
    ("Update the national strategy chapter", "Actualizar el capítulo de estrategia nacional"),
]
ACTION_MD = "Follow up agreed at the meeting; report progress at the next one."
# Document text: paragraphs mixing both languages' vocabulary, so searches find many.
PARAGRAPHS = [
    "La estrategia nacional de ciberseguridad establece los objetivos de protección de la "
    "infraestructura crítica, la respuesta a incidentes y la cooperación internacional.",
    "The incident response protocol describes how the national CSIRTs exchange indicators "
    "of compromise, coordinate the handling of incidents and inform each other in time.",
    "El programa de capacitación forma a funcionarios públicos en gestión de riesgos, "
    "desarrollo seguro de software y protección de datos personales.",
    "Threat intelligence sharing between the parties follows the traffic light protocol; "
    "information marked amber stays within the organisations of the members.",
    "La legislación sobre delitos informáticos fue actualizada para incorporar el convenio "
    "de Budapest y las recomendaciones del grupo de trabajo binacional.",
    "The cyber exercise tested the coordination of ministries, the national CSIRT and the "
    "operators of critical infrastructure during a simulated ransomware campaign.",
]
TRAINING_MD = (
    "A practical course for public officials: incident handling, threat intelligence and "
    "the coordination between national CSIRTs. Materials in English and Spanish."
)
BULLETIN_MD = (
    "A campaign of phishing mails imitating the tax authority targets public servants. "
    "Block the indicators below, warn your users and report any click to the CSIRT."
)
