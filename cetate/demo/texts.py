"""What demo residents write and what the city answers, in Romanian, per kind and category.

Texts are looked up by the case's category code (a report) or `kind:category-code` (any other
kind), else by the kind: a category's own texts are only ever used in that category, and the
kind's general texts name the category they are written in. The codes are those of the demo
city's category tree; another city's categories get the general texts. `{where}` is the
address (or a phrase for the place), `{category}` the category's name as it reads inside a
sentence, `{Category}` as a title.
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

INFORMATION_REQUESTS = [
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
]

# Keyed by category code (reports), `kind:category-code` (other kinds) or the kind alone (any
# category, or none): a category's own texts are only ever used for that category.
WRITTEN: dict[str, list[Template]] = {
    "roads.pothole": [
        T(
            "Groapă periculoasă",
            "Pe {where} s-a format o groapă adâncă în carosabil. Mașinile o ocolesc pe "
            "contrasens, iar noaptea nu se vede deloc. Vă rog să interveniți până nu se "
            "produce un accident.",
        ),
        T(
            "Gropi după iarnă",
            "Carosabilul de pe {where} s-a rupt în mai multe locuri după îngheț; gropile se "
            "adâncesc cu fiecare ploaie.",
        ),
    ],
    "roads.sidewalk": [
        T(
            "Trotuar impracticabil",
            "Trotuarul de pe {where} are dalele desprinse și bordurile rupte. Persoanele în "
            "vârstă și părinții cu cărucioare sunt nevoiți să meargă pe carosabil.",
        ),
        T(
            "Pavele desprinse",
            "Pe trotuarul de pe {where} mai multe pavele s-au desprins și s-a format o "
            "denivelare în care se împiedică trecătorii.",
        ),
    ],
    "roads.manhole": [
        T(
            "Capac de canal lipsă",
            "Pe {where} lipsește capacul unei guri de canal din carosabil; cineva a pus o "
            "creangă în gaură ca semnal.",
        ),
        T(
            "Capac de canal rupt",
            "Capacul căminului de pe {where} este spart și se mișcă la trecerea mașinilor.",
        ),
    ],
    "roads.signs": [
        T(
            "Indicator căzut",
            "Indicatorul „Cedează trecerea” de la intersecția de pe {where} a fost lovit și "
            "stă culcat pe trotuar.",
        ),
        T(
            "Marcaje șterse",
            "Marcajul trecerii de pietoni de pe {where} aproape nu se mai vede; șoferii nu opresc.",
        ),
    ],
    "roads.traffic-light": [
        T(
            "Semafor defect",
            "Semaforul de la intersecția de pe {where} arată galben intermitent de azi "
            "dimineață, iar traficul s-a blocat.",
        ),
        T(
            "Semafor pentru pietoni stins",
            "Pe {where} semaforul pentru pietoni nu se mai aprinde deloc; copiii traversează "
            "pe ghicite.",
        ),
    ],
    "roads.visibility": [
        T(
            "Vizibilitate redusă în intersecție",
            "La ieșirea de pe {where} un gard viu crescut și un panou publicitar acoperă "
            "complet vederea spre drumul principal.",
        ),
    ],
    "roads.snow": [
        T(
            "Stradă nedeszăpezită",
            "Strada {where} nu a fost curățată de zăpadă de două zile; mașinile nu pot urca panta.",
        ),
        T(
            "Polei pe trotuar",
            "Pe trotuarul de pe {where} s-a format polei și nu s-a aruncat material "
            "antiderapant; au căzut deja doi vârstnici.",
        ),
    ],
    "lighting.lamp-out": [
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
    ],
    "lighting.dangerous": [
        T(
            "Cablu căzut",
            "Pe {where} un cablu al iluminatului public atârnă foarte jos, aproape de trotuar, "
            "după furtuna de ieri. Copiii trec pe acolo spre școală.",
        ),
        T(
            "Stâlp înclinat",
            "Un stâlp de iluminat de pe {where} s-a înclinat puternic spre carosabil după ce a "
            "fost lovit de o mașină.",
        ),
    ],
    "lighting.new": [
        T(
            "Stradă fără iluminat",
            "Pe {where} s-au construit case noi, dar strada nu are deloc iluminat public; "
            "seara circulăm cu lanterna.",
        ),
    ],
    "sanitation.missed": [
        T(
            "Gunoi neridicat",
            "Containerele de pe {where} nu au fost golite de cel puțin trei zile. Gunoiul s-a "
            "adunat lângă ele și miroase urât.",
        ),
        T(
            "Reciclabile neridicate",
            "Pubelele galbene de pe {where} nu au fost ridicate în ziua din calendar; sunt "
            "pline de o săptămână.",
        ),
    ],
    "sanitation.dumping": [
        T(
            "Deșeuri aruncate ilegal",
            "Cineva a descărcat moloz și resturi de mobilă pe spațiul verde de lângă {where}. "
            "Grămada crește de la o zi la alta.",
        ),
        T(
            "Moloz lângă drum",
            "Pe marginea drumului de pe {where} au fost descărcați mai mulți saci cu moloz din "
            "renovări.",
        ),
    ],
    "sanitation.bin": [
        T(
            "Coș de gunoi plin",
            "Coșul stradal de pe {where} este plin și rupt, iar gunoaiele sunt împrăștiate de "
            "vânt pe trotuar.",
        ),
    ],
    "sanitation.cleaning": [
        T(
            "Stradă murdară",
            "Strada {where} nu a mai fost măturată de câteva săptămâni; rigolele sunt pline "
            "de frunze și nisip.",
        ),
    ],
    "sanitation.pests": [
        T(
            "Șobolani în zonă",
            "În jurul blocului de pe {where} au apărut șobolani, mai ales lângă "
            "containerele de gunoi.",
        ),
        T(
            "Țânțari la subsol",
            "Subsolul inundat al blocului de pe {where} s-a umplut de țânțari; solicităm "
            "dezinsecție.",
        ),
    ],
    "green.tree": [
        T(
            "Copac periculos",
            "Un copac de pe {where} este înclinat spre carosabil și are ramuri uscate care pot "
            "cădea peste mașini sau trecători.",
        ),
        T(
            "Creangă ruptă",
            "După furtună, o creangă mare a rămas agățată deasupra trotuarului de pe {where}.",
        ),
    ],
    "green.pruning": [
        T(
            "Iarbă netăiată",
            "Spațiul verde de pe {where} nu a mai fost cosit de mult; iarba este înaltă și au "
            "apărut căpușe.",
        ),
        T(
            "Ramuri în ferestre",
            "Ramurile arborilor de pe {where} au ajuns în ferestrele de la etajul întâi și "
            "acoperă indicatoarele.",
        ),
    ],
    "green.playground": [
        T(
            "Loc de joacă deteriorat",
            "La locul de joacă de lângă {where} leagănul are lanțul rupt, iar toboganul are "
            "margini ascuțite. Copiii se pot răni.",
        ),
    ],
    "green.furniture": [
        T(
            "Bănci rupte",
            "Băncile din scuarul de lângă {where} sunt rupte; lipsesc mai multe șipci.",
        ),
    ],
    "utilities.water": [
        T(
            "Țeavă spartă",
            "Pe {where} iese apă din carosabil de ieri dimineață, probabil de la o conductă "
            "spartă. Apa curge pe toată strada.",
        ),
    ],
    "utilities.sewer": [
        T(
            "Canalizare înfundată",
            "Canalizarea de pe {where} este înfundată; după ploaie apa stă în intersecție și "
            "intră în curți.",
        ),
    ],
    "utilities.heating": [
        T(
            "Fără apă caldă",
            "În blocul de pe {where} nu avem apă caldă de trei zile și nu am primit nicio "
            "informare de la operator.",
        ),
        T(
            "Calorifere reci",
            "Caloriferele din blocul de pe {where} sunt abia călduțe, deși afară sunt minus "
            "cinci grade.",
        ),
    ],
    "mobility.stop": [
        T(
            "Stație de autobuz deteriorată",
            "Stația de autobuz de pe {where} nu mai are acoperiș, iar panoul cu orarul lipsește.",
        ),
    ],
    "mobility.route": [
        T(
            "Autobuz care nu respectă orarul",
            "Autobuzul care trece pe {where} la ora 7:10 nu a mai venit de trei zile; copiii "
            "întârzie la școală.",
        ),
    ],
    "mobility.bike": [
        T(
            "Pistă de biciclete blocată",
            "Pista de biciclete de pe {where} este ocupată zilnic de mașini parcate și de "
            "panouri publicitare.",
        ),
    ],
    "parking.illegal": [
        T(
            "Mașini parcate pe trotuar",
            "Pe {where} mașinile sunt parcate în permanență pe trotuar, iar pietonii sunt "
            "nevoiți să meargă pe carosabil.",
        ),
        T(
            "Acces blocat",
            "Un autoturism parcat pe {where} blochează ieșirea din curte de o oră.",
        ),
    ],
    "parking.abandoned": [
        T(
            "Vehicul abandonat",
            "Pe {where} stă de peste șase luni un autoturism fără numere de înmatriculare, cu "
            "roțile dezumflate.",
        ),
    ],
    "parking.resident": [
        T(
            "Loc de parcare ocupat",
            "Locul de parcare de reședință pe care îl am închiriat pe {where} este ocupat "
            "aproape zilnic de alt autoturism.",
        ),
    ],
    "parking.application": [
        T(
            "Loc de parcare de reședință",
            "Doresc un loc de parcare de reședință în zona {where}; în parcarea blocului nu "
            "mai este niciun loc liber.",
        ),
    ],
    "order.noise": [
        T(
            "Zgomot noaptea",
            "De la localul de pe {where} se aude muzică foarte tare până după ora 2 noaptea, "
            "în fiecare weekend.",
        ),
        T(
            "Lucrări zgomotoase",
            "Pe șantierul de pe {where} se lucrează cu utilaje de la ora 6 dimineața, "
            "inclusiv duminica.",
        ),
    ],
    "order.graffiti": [
        T(
            "Graffiti",
            "Fațada clădirii de pe {where} și stația de autobuz de alături au fost vandalizate "
            "cu graffiti.",
        ),
    ],
    "order.posters": [
        T(
            "Afișe lipite ilegal",
            "Stâlpii și gardurile de pe {where} sunt acoperite cu afișe lipite ilegal.",
        ),
    ],
    "order.trading": [
        T(
            "Comerț stradal neautorizat",
            "Pe trotuarul de pe {where} se vând zilnic legume și haine de pe tarabe "
            "improvizate, care blochează trecerea.",
        ),
    ],
    "animals.stray": [
        T(
            "Câini fără stăpân",
            "O haită de 5–6 câini fără stăpân stă lângă {where} și latră la trecători; "
            "dimineața copiii se tem să meargă la școală.",
        ),
    ],
    "animals.dead": [
        T(
            "Animal mort",
            "Pe {where}, la marginea drumului, este un animal mort care trebuie ridicat.",
        ),
    ],
    "planning.unauthorised": [
        T(
            "Construcție fără autorizație",
            "Pe {where} se construiește o anexă lipită de gardul vecinului, fără panou de "
            "autorizare afișat.",
        ),
    ],
    "planning.public-land": [
        T(
            "Trotuar ocupat de o terasă",
            "Terasa localului de pe {where} s-a extins pe tot trotuarul; pietonii trec pe "
            "carosabil.",
        ),
    ],
    "planning.dangerous": [
        T(
            "Clădire degradată",
            "Tencuiala clădirii de pe {where} cade pe trotuar; ieri o bucată a căzut lângă un "
            "trecător.",
        ),
    ],
    "social.at-risk": [
        T(
            "Persoană fără adăpost",
            "O persoană în vârstă doarme de câteva nopți pe o bancă de pe {where}; pare bolnavă "
            "și nu are haine groase.",
        ),
    ],
    # Any other category: its own name says what the problem is.
    "report": [
        T(
            "{Category}",
            "Semnalez o problemă de tipul „{category}” pe {where}. Vă rog să verificați și să "
            "luați măsurile necesare.",
        ),
    ],
    "request:lighting.new": [
        T(
            "Extindere iluminat",
            "Solicit extinderea iluminatului public pe {where}, unde s-au construit case noi, "
            "iar strada este complet întunecată.",
        ),
    ],
    "request:parking.application": [
        T(
            "Cerere loc de parcare",
            "Solicit atribuirea unui loc de parcare de reședință în zona {where}, unde locuiesc "
            "împreună cu familia.",
        ),
    ],
    "request:green.pruning": [
        T(
            "Toaletare arbori",
            "Vă rog să programați toaletarea arborilor de pe {where}; ramurile ating firele "
            "electrice și ferestrele blocului.",
        ),
    ],
    "request:sanitation.pests": [
        T(
            "Deratizare",
            "Solicit deratizarea subsolului blocului de pe {where}; au apărut șobolani.",
        ),
    ],
    "request:taxes.query": [
        T(
            "Certificat fiscal",
            "Solicit eliberarea unui certificat de atestare fiscală, necesar pentru vânzarea "
            "apartamentului.",
        ),
    ],
    "request:administration.gdpr": [
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
    "complaint:administration.complaint": [
        T(
            "Reclamație privind relația cu publicul",
            "Am așteptat peste o oră la ghișeu și am fost îndrumat greșit de trei ori. Vă rog "
            "să analizați modul în care sunt tratați cetățenii.",
        ),
    ],
    "complaint:administration.staff": [
        T(
            "Reclamație privind un funcționar",
            "Funcționarul de la ghișeul de urbanism mi-a vorbit nepoliticos și a refuzat să "
            "îmi primească documentele fără nicio explicație.",
        ),
    ],
    "complaint:utilities.heating": [
        T(
            "Reclamație termoficare",
            "Caloriferele din apartamentul meu de pe {where} sunt reci de o săptămână, deși "
            "plătim facturile la zi.",
        ),
    ],
    "complaint:order.noise": [
        T(
            "Reclamație zgomot",
            "Reclam din nou zgomotul de pe {where}: lucrări cu utilaje începute la ora 6 "
            "dimineața, inclusiv duminica.",
        ),
    ],
    "complaint:sanitation.missed": [
        T(
            "Reclamație salubrizare",
            "Gunoiul de pe {where} nu a fost ridicat nici săptămâna aceasta, deși am mai "
            "reclamat. Plătim taxa de salubrizare la zi.",
        ),
    ],
    "complaint:parking.resident": [
        T(
            "Reclamație loc de parcare",
            "Locul de parcare de reședință pe care îl plătesc pe {where} este ocupat în "
            "fiecare seară, iar sesizările mele anterioare nu au avut niciun efect.",
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
    "proposal:mobility.bike": [
        T(
            "Propunere pistă de biciclete",
            "Propun continuarea pistei de biciclete de pe {where} spre centru și montarea unor "
            "rastele lângă școli.",
        ),
    ],
    "proposal:green.furniture": [
        T(
            "Propunere bănci noi",
            "Propun montarea unor bănci și a unor coșuri de gunoi în scuarul de lângă {where}, "
            "unde se plimbă mulți vârstnici.",
        ),
    ],
    "proposal:administration.proposal": [
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
    "proposal": [
        T(
            "Propunere",
            "Propun o soluție de durată privind {category} pe {where}: verificări regulate și "
            "o discuție cu locuitorii din zonă despre ce s-ar putea îmbunătăți.",
        ),
    ],
    # Information requests are filed under their own category, or none.
    "information:administration.information": INFORMATION_REQUESTS,
    "information": INFORMATION_REQUESTS,
    "inquiry:taxes.query": [
        T(
            "Termen de plată a impozitului",
            "Până când se poate plăti impozitul pe clădiri cu bonificație?",
            "Bonificația se acordă pentru plata integrală până la 31 martie.",
        ),
        T(
            "Acte pentru declararea unui autoturism",
            "Ce acte sunt necesare pentru declararea fiscală a unui autoturism cumpărat din "
            "străinătate?",
            "Cartea de identitate a vehiculului, contractul de cumpărare și actul de "
            "identitate; declarația se depune în 30 de zile.",
        ),
    ],
    "inquiry:mobility.route": [
        T(
            "Autobuz spre Micești",
            "De unde pleacă autobuzul spre Micești și cât de des circulă?",
            "Din stația Centru, din oră în oră între 6:00 și 22:00; orarul este pe site.",
        ),
    ],
    "inquiry:sanitation.missed": [
        T(
            "Colectarea reciclabilelor",
            "În ce zi se ridică deșeurile reciclabile pe strada mea?",
            "Miercurea, o dată la două săptămâni; calendarul este afișat la avizier.",
        ),
    ],
    "inquiry": [
        T(
            "Program cu publicul",
            "Care este programul de lucru cu publicul al Direcției de Venituri?",
            "Luni–joi 8:00–16:00, vineri 8:00–13:00; plățile se pot face și online.",
        ),
        T(
            "Acte pentru căsătorie",
            "Ce acte trebuie depuse pentru încheierea căsătoriei și cu cât timp înainte?",
            "Actele de identitate, certificatele de naștere și certificatele medicale; "
            "declarația se depune cu cel puțin 10 zile înainte.",
        ),
    ],
}

# Keyed like WRITTEN; a category's own answers are only ever given in that category.
ANSWERS: dict[str, list[str]] = {
    "roads.pothole": [
        "Echipa de intervenție a astupat groapa de pe {where}; carosabilul este din nou sigur.",
        "Porțiunea de carosabil de pe {where} a fost frezată și reasfaltată.",
    ],
    "roads.sidewalk": ["Dalele desprinse de pe {where} au fost refixate, iar bordura înlocuită."],
    "roads.manhole": ["Capacul căminului de pe {where} a fost înlocuit."],
    "roads.signs": ["Indicatorul a fost remontat, iar marcajul a fost refăcut pe {where}."],
    "roads.traffic-light": ["Semaforul a fost reparat și funcționează normal."],
    "roads.visibility": [
        "Vegetația a fost tăiată, iar panoul care acoperea vederea a fost mutat; vizibilitatea "
        "în intersecție este asigurată."
    ],
    "roads.snow": [
        "Utilajele de deszăpezire au curățat strada și au împrăștiat material antiderapant."
    ],
    "lighting.lamp-out": [
        "Corpul de iluminat a fost înlocuit, iar iluminatul de pe {where} funcționează normal.",
        "Echipa de iluminat public a remediat defecțiunea instalației de pe {where}.",
    ],
    "lighting.dangerous": [
        "Echipa de iluminat public a securizat zona și a refăcut prinderea cablului; pericolul "
        "a fost înlăturat."
    ],
    "lighting.new": [
        "Strada a fost inclusă în programul de extindere a iluminatului public; lucrarea a "
        "fost executată, iar stâlpii noi funcționează."
    ],
    "sanitation.missed": [
        "Operatorul de salubrizare a recuperat colectarea ratată și a fost atenționat.",
    ],
    "sanitation.dumping": [
        "Deșeurile au fost ridicate, iar zona a fost igienizată. Poliția Locală urmărește zona "
        "pentru a-i sancționa pe cei care aruncă deșeuri.",
    ],
    "sanitation.bin": ["Coșul stradal a fost golit și înlocuit cu unul nou."],
    "sanitation.cleaning": ["Strada a fost măturată mecanizat, iar rigolele au fost curățate."],
    "sanitation.pests": ["Zona a fost tratată de firma de dezinsecție și deratizare."],
    "green.tree": [
        "Arborele a fost evaluat și toaletat; ramurile uscate au fost îndepărtate.",
    ],
    "green.pruning": ["Echipa de spații verzi a cosit zona și a toaletat arborii de pe {where}."],
    "green.playground": ["Echipamentele deteriorate ale locului de joacă au fost reparate."],
    "green.furniture": ["Băncile au fost reparate, iar șipcile lipsă au fost înlocuite."],
    "utilities.water": ["Avaria a fost remediată, iar furnizarea apei a fost reluată."],
    "utilities.sewer": ["Canalizarea a fost desfundată, iar apa s-a retras."],
    "utilities.heating": [
        "Operatorul de termoficare a remediat defecțiunea; agentul termic ajunge din nou în bloc."
    ],
    "mobility.stop": ["Stația a fost reparată, iar orarul a fost afișat din nou."],
    "mobility.route": [
        "Am transmis observațiile operatorului de transport, care a corectat situația.",
    ],
    "mobility.bike": [
        "Poliția Locală verifică zilnic pista de biciclete, iar panourile au fost mutate.",
    ],
    "parking.illegal": [
        "Un echipaj al Poliției Locale s-a deplasat pe {where}, a constatat faptele și a "
        "aplicat sancțiuni contravenționale. Zona va fi verificată periodic.",
    ],
    "parking.abandoned": [
        "Proprietarul vehiculului a fost somat, iar vehiculul a fost ridicat de pe domeniul public."
    ],
    "parking.resident": [
        "Poliția Locală a sancționat ocuparea locului de parcare; zona va fi verificată periodic."
    ],
    "parking.application": [
        "Cererea a fost aprobată: vi s-a atribuit un loc de parcare de reședință; contractul "
        "poate fi semnat la Poliția Locală."
    ],
    "order.noise": [
        "Poliția Locală a efectuat controale în zonă și a aplicat sancțiuni; verificările "
        "continuă.",
    ],
    "order.graffiti": ["Fațada și stația au fost curățate, iar cazul a fost sesizat poliției."],
    "order.posters": ["Afișele au fost îndepărtate, iar cei care le-au lipit au fost sancționați."],
    "order.trading": ["Poliția Locală a ridicat tarabele și a aplicat sancțiuni."],
    "animals.stray": [
        "Echipa de gestionare a câinilor fără stăpân a capturat animalele, care au fost duse "
        "la adăpost.",
    ],
    "animals.dead": ["Animalul a fost ridicat, iar zona a fost dezinfectată."],
    "planning.unauthorised": [
        "Inspectorii au efectuat un control la fața locului și au dispus oprirea lucrărilor "
        "până la obținerea autorizației.",
    ],
    "planning.public-land": [
        "Proprietarul terasei a fost sancționat și a eliberat trotuarul.",
    ],
    "planning.dangerous": [
        "Zona a fost împrejmuită, iar proprietarul a fost somat să refacă fațada.",
    ],
    "social.at-risk": [
        "Un asistent social a luat legătura cu persoana și i-a oferit loc în adăpostul de noapte.",
    ],
    "request:taxes.query": [
        "Certificatul de atestare fiscală a fost emis și vă poate fi transmis prin modalitatea "
        "aleasă.",
    ],
    "request:administration.gdpr": [
        "Vă transmitem, în anexă, datele personale pe care primăria le prelucrează despre "
        "dumneavoastră și scopurile prelucrării.",
    ],
    "complaint:administration.complaint": [
        "Am analizat reclamația; programul ghișeelor a fost reorganizat, iar personalul a fost "
        "instruit.",
    ],
    "complaint:administration.staff": [
        "Reclamația a fost analizată, iar conducerea a luat măsurile care se impun față de "
        "funcționar.",
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
    ],
    "default": [
        "Sesizarea dumneavoastră a fost analizată, iar compartimentul de specialitate a luat "
        "măsurile necesare.",
    ],
}

NOTES = [
    "Am verificat la fața locului; situația se confirmă.",
    "Lucrarea a fost programată pentru echipa de intervenție.",
    "Am cerut sprijinul unei echipe de teren.",
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
    "Am solicitat petentului fotografii și detalii despre locul exact.",
    "Am solicitat petentului numărul blocului și al scării.",
    "Așteptăm punctul de vedere al instituției care administrează zona.",
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
    """Where a case's texts are looked up, its own category's first."""
    if category is None:
        return [kind]
    if kind == "report":
        return [category.code, kind]
    return [f"{kind}:{category.code}", kind]


def written_for(kind: str, category: Category | None) -> list[Template]:
    """The texts a case of `kind` in `category` may be written with: the category's own,
    else the kind's general ones, which name the category."""
    for key in [*_keys(kind, category), "report"]:
        if key in WRITTEN:
            return WRITTEN[key]
    raise AssertionError("the general templates are missing")


def template_for(rng: random.Random, kind: str, category: Category | None) -> Template:
    """A template fitting the kind and the category."""
    return rng.choice(written_for(kind, category))


def answer_for(rng: random.Random, kind: str, category: Category | None) -> str:
    """A resolution text fitting the kind and the category."""
    keys = _keys(kind, category)
    if kind in {"information", "proposal"}:
        keys = [kind]
    elif kind != "report" and category is not None:
        # A complaint or a request about a problem is answered as the problem is.
        keys.insert(1, category.code)
    for key in [*keys, "default"]:
        if key in ANSWERS:
            return rng.choice(ANSWERS[key])
    raise AssertionError("the default answer is missing")


def fill(text: str, *, where: str, located: bool, category: Category | None) -> str:
    """The text with the place (the address, else the pin or the writer's street) and the
    category's name filled in."""
    name = category.name if category else "Problema semnalată"
    place = where or (ON_THE_MAP if located else AT_HOME)
    return text.format(where=place, category=name[:1].lower() + name[1:], Category=name)
