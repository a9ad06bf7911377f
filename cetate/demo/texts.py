"""What demo residents write and what the city answers, in Romanian, per kind and category.

Texts are looked up from the most specific key to the most general: `kind:category-code`,
`kind:group-code`, the group code (problems in the city), the kind, and a default. The group
codes are those of the demo city's category tree; another city's categories fall back to the
general texts. `{where}` is the address (or a phrase for the place), `{category}` the
category's name in lower case.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from cetate.directory.models import Category

ON_THE_MAP = "strada marcată pe hartă"
AT_HOME = "strada mea"


@dataclass(frozen=True)
class Template:
    title: str
    text: str
    # For a question: the answer given on the spot.
    answer: str = ""


T = Template

WRITTEN: dict[str, list[Template]] = {
    "roads": [
        T(
            "Groapă periculoasă",
            "Pe {where} s-a format o groapă adâncă în carosabil. Mașinile o ocolesc pe "
            "contrasens, iar noaptea nu se vede deloc. Vă rog să interveniți până nu se "
            "produce un accident.",
        ),
        T(
            "Asfalt degradat",
            "Asfaltul de pe {where} este crăpat și s-a surpat pe o porțiune de câțiva metri, "
            "după lucrările de anul trecut. Când plouă se adună apa și pietonii sunt stropiți.",
        ),
        T(
            "Trotuar impracticabil",
            "Trotuarul de pe {where} are dalele desprinse și bordurile rupte. Persoanele în "
            "vârstă și părinții cu cărucioare sunt nevoiți să meargă pe carosabil.",
        ),
        T(
            "Pericol pentru circulație",
            "Semnalez o problemă de tipul „{category}” pe {where}. Situația durează de câteva "
            "zile și pune în pericol șoferii și pietonii din zonă.",
        ),
    ],
    "lighting": [
        T(
            "Stâlp de iluminat stins",
            "Stâlpul de iluminat de pe {where} nu mai funcționează de aproximativ o săptămână. "
            "Porțiunea de stradă este complet întunecată seara.",
        ),
        T(
            "Lămpi care pâlpâie",
            "Pe {where} mai multe lămpi se aprind și se sting intermitent toată noaptea. Vă rog "
            "să verificați instalația.",
        ),
        T(
            "Cablu căzut",
            "Pe {where} un cablu al iluminatului public atârnă foarte jos, aproape de trotuar, "
            "după furtuna de ieri. Copiii trec pe acolo spre școală.",
        ),
    ],
    "sanitation": [
        T(
            "Gunoi neridicat",
            "Containerele de pe {where} nu au fost golite de cel puțin trei zile. Gunoiul s-a "
            "adunat lângă ele și miroase urât.",
        ),
        T(
            "Deșeuri aruncate ilegal",
            "Cineva a descărcat moloz și resturi de mobilă pe spațiul verde de lângă {where}. "
            "Grămada crește de la o zi la alta.",
        ),
        T(
            "Coș de gunoi plin",
            "Coșul stradal de pe {where} este plin și rupt, iar gunoaiele sunt împrăștiate de "
            "vânt pe trotuar.",
        ),
    ],
    "green": [
        T(
            "Copac periculos",
            "Un copac de pe {where} este înclinat spre carosabil și are ramuri uscate care pot "
            "cădea peste mașini sau trecători.",
        ),
        T(
            "Iarbă netăiată",
            "Spațiul verde de pe {where} nu a mai fost cosit de mult; iarba este înaltă și au "
            "apărut căpușe.",
        ),
        T(
            "Loc de joacă deteriorat",
            "La locul de joacă de lângă {where} leagănul are lanțul rupt, iar toboganul are "
            "margini ascuțite. Copiii se pot răni.",
        ),
        T(
            "Bănci rupte",
            "Băncile din scuarul de lângă {where} sunt rupte; lipsesc mai multe șipci.",
        ),
    ],
    "utilities": [
        T(
            "Țeavă spartă",
            "Pe {where} iese apă din carosabil de ieri dimineață, probabil de la o conductă "
            "spartă. Apa curge pe toată strada.",
        ),
        T(
            "Canalizare înfundată",
            "Canalizarea de pe {where} este înfundată; după ploaie apa stă în intersecție și "
            "intră în curți.",
        ),
        T(
            "Fără apă caldă",
            "În blocul de pe {where} nu avem apă caldă de trei zile și nu am primit nicio "
            "informare de la operator.",
        ),
    ],
    "mobility": [
        T(
            "Stație de autobuz deteriorată",
            "Stația de autobuz de pe {where} nu mai are acoperiș, iar panoul cu orarul lipsește.",
        ),
        T(
            "Pistă de biciclete blocată",
            "Pista de biciclete de pe {where} este ocupată zilnic de mașini parcate și de "
            "panouri publicitare.",
        ),
    ],
    "parking": [
        T(
            "Mașini parcate pe trotuar",
            "Pe {where} mașinile sunt parcate în permanență pe trotuar, iar pietonii sunt "
            "nevoiți să meargă pe carosabil.",
        ),
        T(
            "Vehicul abandonat",
            "Pe {where} stă de peste șase luni un autoturism fără numere de înmatriculare, cu "
            "roțile dezumflate.",
        ),
        T(
            "Loc de parcare ocupat",
            "Locul de parcare de reședință pe care îl am închiriat pe {where} este ocupat "
            "aproape zilnic de alt autoturism.",
        ),
    ],
    "order": [
        T(
            "Zgomot noaptea",
            "De la localul de pe {where} se aude muzică foarte tare până după ora 2 noaptea, "
            "în fiecare weekend.",
        ),
        T(
            "Graffiti",
            "Fațada clădirii de pe {where} și stația de autobuz de alături au fost vandalizate "
            "cu graffiti.",
        ),
        T(
            "Afișe lipite ilegal",
            "Stâlpii și gardurile de pe {where} sunt acoperite cu afișe lipite ilegal.",
        ),
    ],
    "animals": [
        T(
            "Câini fără stăpân",
            "O haită de 5–6 câini fără stăpân stă lângă {where} și latră la trecători; "
            "dimineața copiii se tem să meargă la școală.",
        ),
        T(
            "Animal mort",
            "Pe {where}, la marginea drumului, este un animal mort care trebuie ridicat.",
        ),
    ],
    "planning": [
        T(
            "Construcție fără autorizație",
            "Pe {where} se construiește o anexă lipită de gardul vecinului, fără panou de "
            "autorizare afișat.",
        ),
        T(
            "Clădire degradată",
            "Tencuiala clădirii de pe {where} cade pe trotuar; ieri o bucată a căzut lângă un "
            "trecător.",
        ),
    ],
    "social": [
        T(
            "Persoană fără adăpost",
            "O persoană în vârstă doarme de câteva nopți pe o bancă de pe {where}; pare bolnavă "
            "și nu are haine groase.",
        ),
    ],
    "report": [
        T(
            "Sesizare",
            "Semnalez o problemă de tipul „{category}” pe {where}. Vă rog să verificați și să "
            "luați măsurile necesare.",
        ),
    ],
    "request:lighting": [
        T(
            "Extindere iluminat",
            "Solicit extinderea iluminatului public pe {where}, unde s-au construit case noi, "
            "iar strada este complet întunecată.",
        ),
    ],
    "request:parking": [
        T(
            "Cerere loc de parcare",
            "Solicit atribuirea unui loc de parcare de reședință în zona {where}, unde locuiesc "
            "împreună cu familia.",
        ),
    ],
    "request:green": [
        T(
            "Toaletare arbori",
            "Vă rog să programați toaletarea arborilor de pe {where}; ramurile ating firele "
            "electrice și ferestrele blocului.",
        ),
    ],
    "request:sanitation": [
        T(
            "Deratizare",
            "Solicit deratizarea subsolului blocului de pe {where}; au apărut șobolani.",
        ),
    ],
    "request:taxes": [
        T(
            "Certificat fiscal",
            "Solicit eliberarea unui certificat de atestare fiscală, necesar pentru vânzarea "
            "apartamentului.",
        ),
    ],
    "request:administration": [
        T(
            "Acces la datele personale",
            "Vă rog să îmi comunicați ce date personale deține primăria despre mine și în ce "
            "scop sunt prelucrate.",
        ),
    ],
    "request": [
        T(
            "Cerere",
            "Vă rog să analizați situația de pe {where} ({category}) și să dispuneți măsurile "
            "necesare. Locuiesc în zonă și problema ne afectează pe toți vecinii.",
        ),
        T(
            "Cerere de intervenție",
            "Vă solicit o intervenție pe {where} privind {category}. Vă stau la dispoziție "
            "pentru detalii.",
        ),
    ],
    "complaint:administration": [
        T(
            "Reclamație privind relația cu publicul",
            "Am așteptat peste o oră la ghișeu și am fost îndrumat greșit de trei ori. Vă rog "
            "să analizați modul în care sunt tratați cetățenii.",
        ),
    ],
    "complaint:utilities": [
        T(
            "Reclamație termoficare",
            "Caloriferele din apartamentul meu de pe {where} sunt reci de o săptămână, deși "
            "plătim facturile la zi.",
        ),
    ],
    "complaint:order": [
        T(
            "Reclamație zgomot",
            "Reclam din nou zgomotul de pe {where}: lucrări cu utilaje începute la ora 6 "
            "dimineața, inclusiv duminica.",
        ),
    ],
    "complaint": [
        T(
            "Reclamație",
            "Am mai semnalat problema de pe {where} ({category}) acum o lună și nu s-a rezolvat "
            "nimic. Vă rog să îmi comunicați ce măsuri ați luat.",
        ),
        T(
            "Reclamație repetată",
            "Revin cu o reclamație privind {category} pe {where}. Situația s-a agravat de la "
            "ultima sesizare.",
        ),
    ],
    "proposal:mobility": [
        T(
            "Propunere pistă de biciclete",
            "Propun continuarea pistei de biciclete de pe {where} spre centru și montarea unor "
            "rastele lângă școli.",
        ),
    ],
    "proposal": [
        T(
            "Propunere trecere de pietoni",
            "Propun amenajarea unei treceri de pietoni și a unor limitatoare de viteză pe "
            "{where}, unde circulă mulți copii.",
        ),
        T(
            "Propunere spațiu verde",
            "Propun transformarea terenului viran de lângă {where} într-un mic parc cu bănci "
            "și un loc de joacă.",
        ),
    ],
    "information": [
        T(
            "Contracte de deszăpezire",
            "În temeiul Legii 544/2001, vă rog să îmi comunicați valoarea contractelor de "
            "deszăpezire încheiate în ultimii doi ani și firmele câștigătoare.",
        ),
        T(
            "Investiții în iluminat",
            "În temeiul Legii 544/2001, solicit lista investițiilor în iluminatul public "
            "programate pentru anul în curs, cu valoarea fiecăreia.",
        ),
        T(
            "Autorizații de construire",
            "Conform Legii 544/2001, vă rog să îmi transmiteți numărul autorizațiilor de "
            "construire emise anul trecut, pe cartiere.",
        ),
    ],
    "inquiry": [
        T(
            "Program cu publicul",
            "Care este programul de lucru cu publicul al Direcției de Venituri?",
            "Luni–joi 8:00–16:00, vineri 8:00–13:00; plățile se pot face și online.",
        ),
        T(
            "Termen de plată a impozitului",
            "Până când se poate plăti impozitul pe clădiri cu bonificație?",
            "Bonificația se acordă pentru plata integrală până la 31 martie.",
        ),
        T(
            "Acte pentru înmatriculare",
            "Ce acte sunt necesare pentru declararea fiscală a unui autoturism cumpărat din "
            "străinătate?",
            "Cartea de identitate a vehiculului, contractul de cumpărare și actul de "
            "identitate; declarația se depune în 30 de zile.",
        ),
        T(
            "Autobuz spre Micești",
            "De unde pleacă autobuzul spre Micești și cât de des circulă?",
            "Din stația Centru, din oră în oră între 6:00 și 22:00; orarul este pe site.",
        ),
        T(
            "Colectarea reciclabilelor",
            "În ce zi se ridică deșeurile reciclabile pe strada mea?",
            "Miercurea, o dată la două săptămâni; calendarul este afișat la avizier.",
        ),
    ],
}

ANSWERS: dict[str, list[str]] = {
    "roads": [
        "Echipa de intervenție s-a deplasat pe {where} și a remediat defecțiunea. Vă "
        "mulțumim pentru sesizare.",
        "Lucrarea a fost inclusă în programul de reparații și a fost executată; zona este din "
        "nou sigură.",
    ],
    "lighting": [
        "Corpul de iluminat a fost înlocuit, iar iluminatul de pe {where} funcționează normal.",
        "Echipa de iluminat public a remediat defecțiunea instalației de pe {where}.",
    ],
    "sanitation": [
        "Deșeurile au fost ridicate, iar zona a fost igienizată. Vom urmări zona în continuare.",
        "Operatorul de salubrizare a recuperat colectarea ratată și a fost atenționat.",
    ],
    "green": [
        "Echipa de spații verzi a efectuat lucrările necesare pe {where}.",
        "Arborele a fost evaluat și toaletat; ramurile uscate au fost îndepărtate.",
    ],
    "utilities": [
        "Avaria a fost remediată, iar furnizarea a fost reluată.",
    ],
    "mobility": [
        "Stația a fost reparată, iar orarul a fost afișat din nou.",
        "Am transmis observațiile operatorului de transport, care a corectat situația.",
    ],
    "parking": [
        "Un echipaj al Poliției Locale s-a deplasat pe {where}, a constatat faptele și a "
        "aplicat sancțiuni contravenționale. Zona va fi verificată periodic.",
    ],
    "order": [
        "Poliția Locală a efectuat controale în zonă și a aplicat sancțiuni; verificările "
        "continuă.",
    ],
    "animals": [
        "Echipa de gestionare a câinilor fără stăpân a capturat animalele, care au fost duse "
        "la adăpost.",
        "Animalul a fost ridicat, iar zona a fost dezinfectată.",
    ],
    "planning": [
        "Inspectorii au efectuat un control la fața locului și au dispus măsurile prevăzute de "
        "lege.",
    ],
    "social": [
        "Un asistent social a luat legătura cu persoana și i-a oferit loc în adăpostul de noapte.",
    ],
    "information": [
        "Vă transmitem informațiile solicitate, în format electronic, în anexa acestui răspuns.",
        "Informațiile solicitate sunt publicate pe site-ul primăriei, la secțiunea „Informații "
        "de interes public”; vă transmitem și legătura directă.",
    ],
    "proposal": [
        "Vă mulțumim pentru propunere. A fost analizată și inclusă în lista de proiecte "
        "propuse pentru bugetul anului viitor.",
    ],
    "request": [
        "Cererea dumneavoastră a fost aprobată; lucrarea a fost programată și executată.",
        "Documentul solicitat a fost emis și vă poate fi transmis prin modalitatea aleasă.",
    ],
    "default": [
        "Sesizarea dumneavoastră a fost analizată, iar compartimentul de specialitate a luat "
        "măsurile necesare.",
    ],
}

NOTES = [
    "Am verificat la fața locului; situația se confirmă.",
    "Lucrarea a fost programată pentru echipa de intervenție.",
    "Am cerut ofertă de la firma de întreținere.",
    "Situația a fost fotografiată; raportul de constatare este la dosar.",
    "Am discutat telefonic cu petentul pentru detalii.",
]
MESSAGES = [
    "Vă informăm că sesizarea dumneavoastră a fost repartizată echipei de teren, care va "
    "interveni în cursul acestei săptămâni.",
    "Vă mulțumim pentru sesizare. Am programat o verificare la fața locului.",
    "Lucrarea necesită materiale comandate; vă vom anunța când va fi finalizată.",
]
WAIT_REASONS = [
    "Așteptăm răspunsul operatorului de utilități.",
    "Am solicitat petentului fotografii și numărul blocului.",
    "Așteptăm avizul Direcției Arhitect Șef.",
    "Așteptăm condiții meteo favorabile pentru lucrare.",
]
EXTENSION_NOTICES = [
    "Vă informăm că, din cauza complexității situației, termenul de răspuns se prelungește "
    "cu {days} zile, conform art. 9 din OG 27/2002.",
    "Pentru soluționare este necesară o verificare suplimentară în teren; termenul de "
    "răspuns se prelungește cu {days} zile (art. 9 din OG 27/2002).",
]
INFORMATION_EXTENSION_NOTICE = (
    "Vă informăm că solicitarea dumneavoastră este complexă; răspunsul vă va fi transmis în "
    "termen de 30 de zile, conform art. 7 alin. (1) din Legea 544/2001."
)
REJECT_REASONS = [
    "Petiția reia o cerere la care s-a răspuns deja, fără elemente noi; se clasează.",
    "Petiția conține expresii jignitoare și nu formulează o cerere care să poată fi soluționată.",
    "Cererea nu poate fi aprobată: terenul nu aparține domeniului public al municipiului.",
]
REDIRECT_REASONS = [
    "Problema ține de rețeaua operatorului; sesizarea i-a fost transmisă spre soluționare, "
    "iar petentul a fost informat.",
    "Competența aparține altei instituții; sesizarea a fost transmisă în termenul legal de "
    "5 zile, iar petentul a fost informat.",
]
REROUTE_REASONS = [
    "Nu este de competența serviciului nostru; o trimitem compartimentului responsabil.",
    "Categoria a fost aleasă greșit; trimitem cazul serviciului competent.",
]
CANCEL_REASONS = [
    "Înregistrare dublă, făcută din eroare.",
    "Apel de probă înregistrat din greșeală.",
    "Aceeași cerere a fost înregistrată de două ori la ghișeu; a doua înregistrare se anulează.",
]
REOPEN_REASONS = [
    "Petentul revine: problema a reapărut după câteva zile.",
    "Răspunsul nu acoperă toate aspectele sesizate; analiza se reia.",
]
MERGE_REASON = (
    "Petentul a mai semnalat aceeași problemă; un singur răspuns le acoperă pe amândouă "
    "(OG 27/2002 art. 10)."
)


def _keys(kind: str, category: Category | None) -> list[str]:
    if category is None:
        return [kind]
    group = category.parent.code if category.parent else category.code
    return [f"{kind}:{category.code}", f"{kind}:{group}", group, kind]


def template_for(rng: random.Random, kind: str, category: Category | None) -> Template:
    """A template fitting the kind and the category; problems in the city use their group's."""
    keys = _keys(kind, category)
    if kind != "report":
        # A group's texts describe problems: a request or a question reads differently.
        keys = [key for key in keys if ":" in key or key == kind]
    for key in [*keys, "report"]:
        if key in WRITTEN:
            return rng.choice(WRITTEN[key])
    raise AssertionError("the general templates are missing")


def answer_for(rng: random.Random, kind: str, category: Category | None) -> str:
    """A resolution text fitting the kind and the category."""
    keys = _keys(kind, category)
    if kind in {"information", "proposal"}:
        keys = [kind]
    for key in [*keys, "default"]:
        if key in ANSWERS:
            return rng.choice(ANSWERS[key])
    raise AssertionError("the default answer is missing")


def fill(text: str, *, where: str, located: bool, category: Category | None) -> str:
    """The text with the place (the address, else the pin or the writer's street) filled in."""
    category_name = category.name.lower() if category else "problema semnalată"
    place = where or (ON_THE_MAP if located else AT_HOME)
    return text.format(where=place, category=category_name)
