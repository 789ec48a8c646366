"""A small typed gazetteer for the seed domain (early Soviet history).

No statistical NER runs offline, so a curated list types the names that matter most
and, with the same stroke, supplies same-kind distractors. Each line is
``KIND|SUBKIND|canonical|variant;variant`` (a line starting with ``+`` continues the
variants of the previous one); variants are matched case-sensitively
(lower-case TERM lines case-insensitively). Spelling variants share one canonical
key so a variant is never offered as a distractor for itself. Names of other
subjects are typed by the generic rules in ``entities.py``.
"""

from __future__ import annotations

_RAW = """
PERSON|LEADER|Lenin|V. I. Lenin;Vladimir Lenin;Lenin
PERSON|LEADER|Trotsky|Leon Trotsky;Trotsky
PERSON|LEADER|Stalin|Joseph Stalin;Stalin
PERSON|LEADER|Bukharin|Nikolai Bukharin;Bukharin
PERSON|LEADER|Zinoviev|Grigory Zinoviev;Zinoviev
PERSON|LEADER|Kamenev|Lev Kamenev;Kamenev
PERSON|LEADER|Kollontai|Alexandra Kollontai;Aleksandra Kollontai;Kollontai
PERSON|LEADER|Dzerzhinsky|Felix Dzerzhinsky;Dzerzhinsky
PERSON|LEADER|Preobrazhensky|Evgeny Preobrazhensky;Yevgeni Preobrazhensky;Preobrazhensky
PERSON|LEADER|Shliapnikov|Aleksandr Shliapnikov;Alexander Shliapnikov;Shliapnikov;Shlyapnikov
PERSON|LEADER|Sapronov|Timofei Sapronov;Timofei Saporonov;Sapronov
PERSON|LEADER|Tomsky|Mikhail Tomsky;Tomsky;Tomskii
PERSON|LEADER|Rykov|Alexei Rykov;Rykov
PERSON|LEADER|Molotov|Vyacheslav Molotov;Molotov
PERSON|LEADER|Kaganovich|Lazar Kaganovich;Kaganovich
PERSON|LEADER|Kirov|Sergei Kirov;Kirov
PERSON|LEADER|Beria|Lavrenty Beria;Beria
PERSON|LEADER|Malenkov|Georgy Malenkov;Malenkov
PERSON|LEADER|Khrushchev|Nikita Khrushchev;Khrushchev
PERSON|LEADER|Brezhnev|Leonid Brezhnev;Brezhnev
PERSON|LEADER|Kosygin|Alexei Kosygin;Kosygin
PERSON|LEADER|Andropov|Yuri Andropov;Andropov
PERSON|LEADER|Chernenko|Konstantin Chernenko;Chernenko
PERSON|LEADER|Gorbachev|Mikhail Gorbachev;Gorbachev
PERSON|LEADER|Yeltsin|Boris Yeltsin;Yeltsin
PERSON|LEADER|Suslov|Mikhail Suslov;Suslov
PERSON|LEADER|Zhdanov|Andrei Zhdanov;Zhdanov
PERSON|LEADER|Lunacharsky|Anatoly Lunacharsky;Lunacharsky;Lunacharskii
PERSON|LEADER|Krzhizhanovsky|Gleb Krzhizhanovsky;Krzhizhanovsky;Krzhizhanovskii
PERSON|LEADER|Martov|Julius Martov;Martov
PERSON|LEADER|Plekhanov|Georgi Plekhanov;Plekhanov
PERSON|LEADER|Kerensky|Alexander Kerensky;Kerensky
PERSON|LEADER|Zelensky|Isaak Zelensky;Isaak Zelenskii;Zelensky;Zelenskii
PERSON|LEADER|Paniushkin|Vasily Paniushkin;Vasilii Paniushkin;Paniushkin
PERSON|LEADER|Ligachev|Yegor Ligachev;Ligachev
PERSON|LEADER|Yakovlev|Alexander Yakovlev;Yakovlev
PERSON|THINKER|Marx|Karl Marx;Marx
PERSON|THINKER|Engels|Friedrich Engels;Engels
PERSON|THINKER|Kautsky|Karl Kautsky;Kautsky
PERSON|THINKER|Bernstein|Eduard Bernstein;E. Bernstein;Bernstein
PERSON|THINKER|Bellamy|Edward Bellamy;Bellamy
PERSON|THINKER|Luxemburg|Rosa Luxemburg;Luxemburg
PERSON|THINKER|Taylor|F.W.Taylor;F. W. Taylor;Frederick Taylor
PERSON|THINKER|Bogdanov|Alexander Bogdanov;Bogdanov
PERSON|HISTORIAN|Deutscher|Isaac Deutscher;Deutscher
PERSON|HISTORIAN|Koenker|Diane Koenker;Koenker
PERSON|HISTORIAN|Serge|Victor Serge
PERSON|HISTORIAN|Pirani|Simon Pirani;Pirani
PERSON|HISTORIAN|Carr|E. H. Carr;E.H.Carr;E.H. Carr
PERSON|HISTORIAN|Malia|Martin Malia;Malia
PERSON|HISTORIAN|Lewin|Moshe Lewin;Lewin
PERSON|HISTORIAN|Figes|Orlando Figes;Figes
PERSON|HISTORIAN|Sochor|Zenovia Sochor;Sochor
PERSON|HISTORIAN|Cohen|Stephen Cohen
PERSON|HISTORIAN|Fitzpatrick|Sheila Fitzpatrick;Fitzpatrick
PERSON|HISTORIAN|Conquest|Robert Conquest
PERSON|HISTORIAN|Ted Grant|Ted Grant
PERSON|HISTORIAN|Medvedev|Roy Medvedev
PERSON|HISTORIAN|Schapiro|Leonard Schapiro;Schapiro
ORG|PARTY|Bolsheviks|Bolsheviks;Bolshevik party;Bolshevik Party;Communist Party;Communist party
+Russian Communist Party;RKP;CPSU;Communist Party of the Soviet Union
ORG|PARTY|Mensheviks|Mensheviks
ORG|PARTY|Socialist Revolutionaries|Socialist Revolutionaries;Social Revolutionaries;SRs;SRS
ORG|PARTY|Left SRs|Left SRs;left SRs;Left Socialist Revolutionaries
ORG|PARTY|Kadets|Kadets;Constitutional Democrats
ORG|FACTION|Workers' Opposition|Workers' Opposition;Workers’ Opposition;Workers Opposition
ORG|FACTION|Democratic Centralists|Democratic Centralists;Democratic Centralism group
ORG|FACTION|Left Opposition|Left Opposition
ORG|FACTION|Right Opposition|Right Opposition
ORG|FACTION|United Opposition|United Opposition
ORG|FACTION|Workers and Peasants Socialist Party|Workers and Peasants Socialist Party
ORG|FACTION|Workers' Truth|Workers' Truth;Workers’ Truth
ORG|FACTION|Workers' Group|Workers' Group;Workers’ Group
ORG|BODY|Cheka|Cheka;CHEKA;VECHEKA;Vecheka
ORG|BODY|OGPU|OGPU;GPU
ORG|BODY|NKVD|NKVD
ORG|BODY|KGB|KGB
ORG|BODY|Sovnarkom|Sovnarkom;Council of People's Commissars;Council of People’s Commissars
ORG|BODY|VTsIK|VTsIK;VTSIK
ORG|BODY|Politburo|Politburo;Politbureau;Polit-buro;Praesidium;Presidium
ORG|BODY|Orgburo|Orgburo
ORG|BODY|Secretariat|Secretariat
ORG|BODY|Central Committee|Central Committee;central committee
ORG|BODY|Central Control Commission|Central Control Commission
ORG|BODY|Red Army|Red Army;Red army
ORG|BODY|Comintern|Comintern;Communist International;Third International
ORG|BODY|Second International|Second International
ORG|BODY|Vesenkha|Vesenkha;VSNKh;vsNKh;Supreme Council of the National Economy
+Supreme Economic Council
ORG|BODY|Gosplan|Gosplan;GOSPLAN;State Planning Commission
ORG|BODY|Rabkrin|Rabkrin;Workers' and Peasants' Inspectorate;Workers’ and Peasants’ Inspectorate
ORG|BODY|Komsomol|Komsomol
ORG|BODY|Moscow soviet|Moscow soviet;Moscow Soviet
ORG|BODY|Petrograd soviet|Petrograd soviet;Petrograd Soviet
ORG|BODY|Constituent Assembly|Constituent Assembly
ORG|BODY|Provisional Government|Provisional Government
ORG|BODY|Proletkult|Proletkult
ORG|BODY|GOELRO|GOELRO
ORG|BODY|Congress of People's Deputies|Congress of People's Deputies;Congress of People’s Deputies
ORG|BODY|Supreme Soviet|Supreme Soviet
ORG|BODY|Whites|Whites;White armies
PLACE|CITY|Moscow|Moscow
PLACE|CITY|Petrograd|Petrograd;St Petersburg;Leningrad
PLACE|CITY|Kronstadt|Kronstadt;Kronshtadt;Kronshadt
PLACE|CITY|Samara|Samara
PLACE|CITY|Saratov|Saratov
PLACE|CITY|Tambov|Tambov
PLACE|CITY|Kiev|Kiev;Kyiv
PLACE|CITY|Brest-Litovsk|Brest-Litovsk
PLACE|CITY|Brussels|Brussels
PLACE|CITY|Berlin|Berlin
PLACE|CITY|Kharkov|Kharkov
PLACE|CITY|Baku|Baku
PLACE|CITY|Ivanovo|Ivanovo
PLACE|CITY|Tula|Tula
PLACE|REGION|Volga|Volga
PLACE|REGION|Ukraine|Ukraine
PLACE|REGION|Siberia|Siberia
PLACE|REGION|Georgia|Georgia
PLACE|REGION|Urals|Urals
PLACE|REGION|Donbass|Donbass;Donbas
PLACE|COUNTRY|Russia|Russia
PLACE|COUNTRY|Germany|Germany
PLACE|COUNTRY|Britain|Britain;England
PLACE|COUNTRY|France|France
PLACE|COUNTRY|China|China
PLACE|COUNTRY|Hungary|Hungary
PLACE|COUNTRY|Poland|Poland
PLACE|COUNTRY|Czechoslovakia|Czechoslovakia
PLACE|COUNTRY|Yugoslavia|Yugoslavia
PLACE|COUNTRY|United States|United States;USA;America
PLACE|COUNTRY|Soviet Union|Soviet Union;USSR
PLACE|COUNTRY|Iran|Iran
EVENT|REVOLUTION|October Revolution|October Revolution;October revolution;Bolshevik revolution
EVENT|REVOLUTION|February Revolution|February Revolution;February revolution
EVENT|REVOLUTION|1905 Revolution|1905 Revolution;1905 revolution
EVENT|REVOLUTION|German Revolution|German Revolution;German revolution
EVENT|WAR|Civil War|Civil War;civil war;Russian Civil War
EVENT|WAR|First World War|First World War;World War I;Great War
EVENT|WAR|Second World War|Second World War;World War II;Great Patriotic War
EVENT|WAR|Cold War|Cold War
EVENT|REVOLT|Kronstadt revolt|Kronstadt revolt;Kronshtadt revolt;Kronstadt uprising
+Kronstadt Uprising;Kronstadt rising
EVENT|REVOLT|Tambov revolt|Tambov revolt;Tambov rising
EVENT|POLICY|New Economic Policy|New Economic Policy;NEP
EVENT|POLICY|War Communism|War Communism;war communism
EVENT|POLICY|perestroika|perestroika
EVENT|POLICY|glasnost|glasnost
EVENT|POLICY|collectivization|collectivization;collectivisation
EVENT|POLICY|First Five-Year Plan|First Five-Year Plan;first Five-Year Plan;First Five Year Plan
EVENT|POLICY|socialism in one country|socialism in one country
EVENT|POLICY|Red Terror|Red Terror
EVENT|POLICY|Great Terror|Great Terror
EVENT|POLICY|tax in kind|tax in kind
EVENT|POLICY|grain requisitioning|grain requisitioning
EVENT|POLICY|Stakhanovism|Stakhanovism;Stakhanovite movement
EVENT|POLICY|One-man management|one-man management;one-man-management
EVENT|POLICY|détente|détente
EVENT|POLICY|de-Stalinization|de-Stalinization;deStalinization
EVENT|CONGRESS|Tenth Party Congress|Tenth Party Congress;Tenth Congress
+10th party congress;tenth party congress
EVENT|CONGRESS|Eleventh Party Congress|Eleventh Party Congress
+11th party congress;eleventh party congress
EVENT|CONGRESS|Twentieth Party Congress|Twentieth Party Congress;Twentieth Congress
+20th Party Congress
EVENT|TREATY|Treaty of Brest-Litovsk|Treaty of Brest-Litovsk;Brest-Litovsk treaty
+Brest-Litovsk Treaty
EVENT|FAMINE|Volga famine|Volga famine
EVENT|DOCUMENT|Secret Speech|Secret Speech;secret speech
EVENT|DOCUMENT|Third Party Programme|Third Party Programme
EVENT|DOCUMENT|Communist Manifesto|Communist Manifesto
EVENT|DOCUMENT|Looking Backward|Looking Backward
EVENT|DOCUMENT|Anti-Dühring|Anti-Dühring;Anti-Duhring;Anti-Dubring
EVENT|DOCUMENT|The State and Revolution|The State and Revolution;State and Revolution
TERM|IDEA|dictatorship of the proletariat|dictatorship of the proletariat;proletarian dictatorship
TERM|IDEA|democratic centralism|democratic centralism
TERM|IDEA|permanent revolution|permanent revolution
TERM|IDEA|Developed Socialism|Developed Socialism
TERM|IDEA|Humane Democratic Socialism|Humane Democratic Socialism
TERM|IDEOLOGY|reformism|reformism
TERM|IDEOLOGY|Narodnism|Narodnism
TERM|IDEOLOGY|syndicalism|syndicalism
TERM|IDEOLOGY|Marxism|Marxism
TERM|IDEOLOGY|Leninism|Leninism
TERM|IDEOLOGY|Stalinism|Stalinism
TERM|IDEOLOGY|Bolshevism|Bolshevism
TERM|IDEOLOGY|Menshevism|Menshevism
TERM|IDEOLOGY|Trotskyism|Trotskyism
TERM|IDEOLOGY|anarchism|anarchism
TERM|IDEOLOGY|populism|Populism;populism
TERM|IDEOLOGY|Taylorism|Taylorism
TERM|IDEOLOGY|Marxism-Leninism|Marxism-Leninism
TERM|IDEA|smychka|smychka
TERM|GROUP|nomenklatura|nomenklatura
TERM|IDEA|socialist realism|socialist realism
TERM|IDEA|primitive socialist accumulation|primitive socialist accumulation
TERM|GROUP|kulaks|kulaks;kulak
TERM|GROUP|nepmen|nepmen;NEPmen
TERM|GROUP|spetsy|spetsy
"""


def entries() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Parsed gazetteer: (kind, subkind, canonical, variants)."""
    parsed: list[tuple[str, str, str, tuple[str, ...]]] = []
    lines: list[str] = []
    for line in _RAW.strip().splitlines():
        if line.startswith("+"):  # continuation of the previous line's variants
            lines[-1] += ";" + line[1:]
        else:
            lines.append(line)
    for line in lines:
        kind, subkind, canonical, variants = line.split("|")
        names = tuple(v for v in variants.split(";") if v) or (canonical,)
        parsed.append((kind, subkind, canonical, names))
    return parsed


# Words whose presence as the last word types an unknown capitalised name.
ORG_HEADS: frozenset[str] = frozenset(
    [
        "Party",
        "Congress",
        "Committee",
        "Army",
        "Commissariat",
        "Council",
        "Union",
        "Opposition",
        "Bureau",
        "Assembly",
        "International",
        "Conference",
        "Government",
        "Trust",
        "Forum",
        "Institute",
        "Academy",
        "University",
        "Press",
        "Commission",
        "Inspectorate",
        "League",
        "Federation",
        "Front",
        "Guard",
        "Guards",
        "Navy",
        "Bank",
        "Church",
        "Ministry",
        "Department",
        "Society",
        "Club",
        "Parliament",
        "Convention",
        "Estates-General",
        "Directory",
        "Club",
        "Company",
    ]
)
EVENT_HEADS: frozenset[str] = frozenset(
    [
        "Revolution",
        "War",
        "Policy",
        "Treaty",
        "Famine",
        "Plan",
        "Programme",
        "Uprising",
        "Revolt",
        "Rising",
        "Terror",
        "Purge",
        "Purges",
        "Reform",
        "Reforms",
        "Crisis",
        "Declaration",
        "Act",
        "Decree",
        "Speech",
        "Manifesto",
        "Pact",
        "Agreement",
        "Battle",
        "Storming",
        "Reign",
        "Affair",
    ]
)
PLACE_HEADS: frozenset[str] = frozenset(
    [
        "River",
        "Sea",
        "Mountains",
        "Ocean",
        "Province",
        "Region",
        "Republic",
        "Square",
        "Palace",
        "Bastille",
    ]
)
PERSON_TITLES: frozenset[str] = frozenset(
    ["King", "Queen", "Tsar", "Czar", "Emperor", "Empress", "Prince", "Princess", "Marshal", "Pope"]
)
FIRST_NAMES: frozenset[str] = frozenset(
    [
        "Aleksandr",
        "Alexander",
        "Alexandra",
        "Aleksandra",
        "Alexei",
        "Anatoly",
        "Andrei",
        "Anna",
        "Boris",
        "Diane",
        "Edward",
        "Eduard",
        "Evgeny",
        "Felix",
        "Friedrich",
        "Georges",
        "Georgi",
        "Georgy",
        "Gleb",
        "Grigory",
        "Isaac",
        "Isaak",
        "Ivan",
        "Joseph",
        "Julius",
        "Karl",
        "Konstantin",
        "Lavrenty",
        "Lazar",
        "Leon",
        "Leonid",
        "Lev",
        "Louis",
        "Marie",
        "Mark",
        "Martin",
        "Maximilien",
        "Mikhail",
        "Moshe",
        "Nikita",
        "Nikolai",
        "Nikolay",
        "Orlando",
        "Pavel",
        "Peter",
        "Pyotr",
        "Robert",
        "Rosa",
        "Roy",
        "Sergei",
        "Sheila",
        "Simon",
        "Stephen",
        "Ted",
        "Timofei",
        "Vasilii",
        "Vasily",
        "Victor",
        "Vladimir",
        "Vyacheslav",
        "Yegor",
        "Yuri",
        "Zenovia",
        "Jean",
        "Jacques",
        "Antoine",
        "Camille",
        "Charles",
        "Napoleon",
        "Paul",
        "Pierre",
        "Thomas",
        "John",
        "James",
        "William",
        "George",
        "Henry",
        "Mary",
        "Elizabeth",
        "Catherine",
        "Nicholas",
        "Alexis",
        "Olga",
        "David",
        "Michael",
        "Richard",
        "Francis",
        "Emmanuel",
        "Honoré",
        "Gilbert",
        "Jacques-Pierre",
        "Jean-Paul",
        "Maria",
        "Gregor",
        "Carl",
        "Albert",
        "Isaac",
        "Charles",
    ]
)
PERSON_ROLE_NOUNS: frozenset[str] = frozenset(
    [
        "leader",
        "secretary",
        "historian",
        "writer",
        "author",
        "lawyer",
        "journalist",
        "member",
        "chairman",
        "commissar",
        "metalworker",
        "worker",
        "official",
        "economist",
        "theorist",
        "philosopher",
        "revolutionary",
        "president",
        "minister",
        "general",
        "king",
        "queen",
        "poet",
        "novelist",
        "scientist",
        "chemist",
        "biologist",
        "botanist",
        "physicist",
        "activist",
        "organiser",
        "organizer",
        "deputy",
        "delegate",
        "founder",
        "editor",
        "head",
        "chief",
        "son",
        "daughter",
        "wife",
        "husband",
        "brother",
        "sister",
        "priest",
        "monk",
        "ruler",
        "tsar",
        "emperor",
        "communist",
        "socialist",
        "anarchist",
        "marxist",
        "social-democrat",
        "politician",
        "diplomat",
        "commander",
        "officer",
        "soldier",
        "sailor",
        "peasant",
    ]
)
