/**
 * Person name material per language: family names, given names with gender and nicknames
 * (Robert → Bob, Katarzyna → Kasia), and the gendered family-name rule of Polish.
 */
import type { Language } from './countries';
import type { Rng } from './random';

/** A given name with its gender and usual nicknames. */
export interface GivenName {
  name: string;
  gender: 'f' | 'm';
  nicknames: readonly string[];
}

/** Family and given names of one language. */
export interface NameBook {
  family: readonly string[];
  given: readonly GivenName[];
}

/** Tokens `Name/g/nick1,nick2`, whitespace separated; `_` stands for a space. */
function given(rows: string): GivenName[] {
  return rows
    .trim()
    .split(/\s+/)
    .map((token) => {
      const [name, gender, nicks] = token.split('/');
      return {
        name: name.replace(/_/g, ' '),
        gender: gender === 'f' ? 'f' : 'm',
        nicknames: nicks ? nicks.split(',').map((n) => n.replace(/_/g, ' ')) : [],
      };
    });
}

function family(rows: string): string[] {
  return rows
    .trim()
    .split(/\s+/)
    .map((n) => n.replace(/_/g, ' '));
}

/**
 * Name books per language.
 *
 * @example
 * ```ts
 * NAMES.en.given.find((g) => g.name === 'Robert')?.nicknames // ['Bob', 'Rob', 'Bobby']
 * ```
 */
export const NAMES: Record<Language, NameBook> = {
  de: {
    family: family(`Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch
      Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt
      Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser
      Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank Berger Winkler
      Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer
      Vogt Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber Graf Dietrich Ziegler Kühn Pohl Engel
      Horn Busch Bergmann Thomas Voigt Sauer Arnold Wolff Pfeiffer Eßer Götz Rößler Dörr Mühlbauer`),
    given: given(`Thomas/m/Tom Michael/m/Micha Andreas/m/Andi Stefan/m Markus/m Christian/m/Chris
      Johannes/m/Hans,Jo Alexander/m/Alex Peter/m Wolfgang/m/Wolf Jürgen/m Klaus/m Matthias/m/Matze Tobias/m/Tobi
      Florian/m/Flo Sebastian/m/Basti Jörg/m Uwe/m Maximilian/m/Max Friedrich/m/Fritz Joachim/m/Achim
      Katharina/f/Kathi,Katja Susanne/f/Susi Sabine/f Petra/f Andrea/f Claudia/f Julia/f/Jule Elisabeth/f/Lisa,Sissi
      Monika/f Birgit/f Anna/f Franziska/f/Franzi Sophie/f Lena/f Ursula/f/Uschi Margarete/f/Grete Jutta/f Brigitte/f/Gitti`),
  },
  en: {
    family: family(`Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin
      Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker
      Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook
      Rogers Morgan Cooper Peterson Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray
      Hughes Price Sanders Myers Long Ross Foster Hartwell Barnes Cole Fletcher Whitmore Ashford Pemberton Thornton
      Blackwood Sinclair Caldwell Hollis Marsh Holt Draper Chambers Wheeler Spencer Lawson Hayes Gardner`),
    given: given(`Robert/m/Bob,Rob,Bobby William/m/Bill,Will,Billy Richard/m/Rick,Dick,Rich James/m/Jim,Jimmy,Jamie
      John/m/Jack,Johnny Michael/m/Mike,Mick Thomas/m/Tom,Tommy Christopher/m/Chris Daniel/m/Dan,Danny Joseph/m/Joe,Joey
      Charles/m/Charlie,Chuck Edward/m/Ed,Ted,Eddie Anthony/m/Tony Steven/m/Steve Matthew/m/Matt David/m/Dave
      Andrew/m/Andy,Drew Benjamin/m/Ben Nicholas/m/Nick Gregory/m/Greg Elizabeth/f/Liz,Beth,Betty
      Margaret/f/Maggie,Peggy,Meg Jennifer/f/Jenny,Jen Katherine/f/Kate,Kathy,Katie Patricia/f/Pat,Patty,Trish
      Susan/f/Sue,Susie Deborah/f/Debbie,Deb Rebecca/f/Becky Samantha/f/Sam Victoria/f/Vicky,Tori Emily/f
      Sarah/f Laura/f Emma/f Jessica/f/Jess Abigail/f/Abby Alexandra/f/Alex,Sandy`),
  },
  fr: {
    family: family(`Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre
      Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont Lambert Bonnet
      François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin Morin
      Mathieu Clément Gauthier Dumont Lopez Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis
      Lemaire Duval Joly Gautier Roger Roche Roy Noël Meyer Lucas Meunier Jean Pérez Marchand Dufour Blanchard`),
    given: given(`Jean-Pierre/m/JP Philippe/m/Phil Nicolas/m/Nico François/m/Francis Pierre/m Michel/m Alain/m
      Frédéric/m/Fred Stéphane/m/Steph Laurent/m Christophe/m/Chris Sébastien/m/Seb Julien/m Olivier/m/Olive
      Guillaume/m/Guigui Marie/f Isabelle/f/Isa Catherine/f/Cathy Nathalie/f/Nath Sylvie/f Sophie/f Valérie/f/Val
      Céline/f Élodie/f Camille/f Stéphanie/f/Steph Christine/f/Titine Hélène/f Amélie/f`),
  },
  it: {
    family: family(`Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti
      De_Luca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara
      Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola De_Santis D'Angelo Marchetti Parisi
      Villa Conte Ferraro Ferri Fabbri Bianco Marini Grasso Valentini Messina Sala De_Angelis Gatti Pellegrini
      Palumbo Sanna Farina Rizzi Monti Cattaneo Morelli Amato Silvestri Mazza Testa Grassi Pellegrino Carbone`),
    given: given(`Giuseppe/m/Beppe,Peppe Giovanni/m/Gianni,Nanni Francesco/m/Franco,Cecco Antonio/m/Toni,Totò
      Alessandro/m/Alex,Sandro Roberto/m/Robi Marco/m Luca/m Andrea/m Stefano/m/Ste Paolo/m Massimo/m/Max
      Salvatore/m/Totò,Turi Vincenzo/m/Enzo Maria/f Anna/f Giulia/f Francesca/f/Franci Chiara/f
      Alessandra/f/Sandra,Ale Elisabetta/f/Betta Federica/f/Fede Valentina/f/Vale Laura/f Paola/f Roberta/f/Robi`),
  },
  nl: {
    family: family(`De_Jong Jansen De_Vries Van_den_Berg Van_Dijk Bakker Janssen Visser Smit Meijer De_Boer Mulder
      De_Groot Bos Vos Peters Hendriks Van_Leeuwen Dekker Brouwer De_Wit Dijkstra Smits De_Graaf Van_der_Meer
      Van_der_Linden Kok Jacobs De_Haan Vermeulen Van_den_Heuvel Van_der_Veen Van_den_Broek De_Bruijn De_Bruin
      Van_der_Heijden Schouten Van_Beek Willems Van_Vliet Van_de_Ven Hoekstra Maas Verhoeven Koster Van_Dam Prins
      Blom Huisman Peeters Kuipers Postma Kramer Van_Wijk`),
    given: given(`Johannes/m/Jan,Hans Willem/m/Wim Pieter/m/Piet Hendrik/m/Henk Cornelis/m/Kees Jacobus/m/Jaap,Koos
      Gerardus/m/Gerard,Gert Adrianus/m/Arie Dirk/m Bram/m Sander/m Thijs/m Maarten/m Ruud/m Maria/f/Mies,Ria
      Johanna/f/Anneke,Jo Wilhelmina/f/Willy,Mien Cornelia/f/Corrie,Nel Anna/f/Anke Sanne/f Lotte/f Femke/f Eva/f
      Saskia/f Marieke/f Inge/f`),
  },
  pl: {
    family: family(`Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak
      Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawłowski Michalski
      Nowicki Adamczyk Dudek Zając Wieczorek Jabłoński Król Majewski Olszewski Jaworski Wróbel Malinowski Pawlak
      Witkowski Walczak Stępień Górski Rutkowski Michalak Sikora Ostrowski Baran Duda Szewczyk Tomaszewski Pietrzak
      Marciniak Wróblewski Zalewski Jakubowski Jasiński Zawadzki Sadowski Bąk Chmielewski Włodarczyk Borkowski`),
    given: given(`Aleksander/m/Olek Piotr/m/Piotrek Krzysztof/m/Krzysiek Andrzej/m/Jędrek Tomasz/m/Tomek Paweł/m
      Michał/m/Michałek Marcin/m Jakub/m/Kuba Grzegorz/m/Grzesiek Łukasz/m Wojciech/m/Wojtek Stanisław/m/Staszek
      Małgorzata/f/Gosia Katarzyna/f/Kasia Agnieszka/f/Aga Anna/f/Ania Magdalena/f/Magda Joanna/f/Asia
      Aleksandra/f/Ola Barbara/f/Basia Ewa/f Monika/f Dorota/f Elżbieta/f/Ela`),
  },
  ja: {
    family: family(`Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada
      Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Yamazaki Mori Abe Ikeda Hashimoto Yamashita Ishikawa
      Nakajima Maeda Fujita Ogawa Goto Okada Hasegawa Murakami Kondo Ishii Saito Sakamoto Endo Aoki Fujii Nishimura
      Fukuda Ota Miura Okamoto Matsuda Nakagawa`),
    given: given(`Hiroshi/m Takashi/m Kenji/m Satoshi/m Daisuke/m Kazuki/m Taro/m Makoto/m Shinji/m Kenta/m
      Yusuke/m Naoki/m Yuko/f Keiko/f Akiko/f Naomi/f Haruka/f Sakura/f Aiko/f Emi/f Yumi/f Mai/f Yoko/f Mika/f`),
  },
  es: {
    family: family(`García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz
      Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez
      Serrano Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín Sanz Núñez Iglesias Medina Garrido`),
    given: given(`José/m/Pepe Francisco/m/Paco,Pancho Antonio/m/Toño,Toni Manuel/m/Manolo Javier/m/Javi
      Alejandro/m/Álex Carlos/m Miguel/m David/m Jesús/m/Chus Rafael/m/Rafa Fernando/m/Nando María/f Carmen/f
      Josefa/f/Pepa Isabel/f/Isa Dolores/f/Lola Rosario/f/Charo Concepción/f/Concha Laura/f Elena/f Lucía/f
      Guadalupe/f/Lupe Cristina/f/Cris`),
  },
  sv: {
    family: family(`Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson
      Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Olofsson Lindström Lindqvist
      Lindgren Berg Axelsson Bergström Lundberg Lundgren Lind Lundqvist Mattsson Berglund Fredriksson Sandberg
      Henriksson Forsberg Sjöberg Wallin Engström Eklund Danielsson Lundin Håkansson Björk Bergman Gunnarsson Holm
      Wikström Samuelsson Isaksson Fransson Bergqvist Nyström Holmberg Arvidsson Löfgren Söderberg Nyberg Åkesson`),
    given: given(`Erik/m Lars/m/Lasse Karl/m/Kalle Anders/m Johan/m Per/m/Pelle Mikael/m/Micke Nils/m
      Gustav/m/Gurra Fredrik/m/Fredde Magnus/m Henrik/m Anna/f Maria/f Karin/f Kristina/f/Kicki Elisabeth/f/Lisa
      Margareta/f/Maggan Eva/f Ingrid/f Birgitta/f/Bittan Sofia/f Linnéa/f`),
  },
};

/**
 * The family name as carried by a person of the given gender (Polish -ski/-cki/-dzki → -ska/-cka/-dzka).
 *
 * @example
 * ```ts
 * genderedFamilyName('pl', 'Kowalski', 'f') // 'Kowalska'
 * ```
 */
export function genderedFamilyName(language: Language, familyName: string, gender: 'f' | 'm'): string {
  if (language === 'pl' && gender === 'f' && /(ski|cki|dzki)$/.test(familyName)) return familyName.slice(0, -1) + 'a';
  return familyName;
}

/**
 * Draws a given name and a family name from the book of a language.
 *
 * @example
 * ```ts
 * pickPersonName(rng, 'de') // { given: { name: 'Thomas', ... }, familyName: 'Krüger' }
 * ```
 */
export function pickPersonName(rng: Rng, language: Language): { given: GivenName; familyName: string } {
  const book = NAMES[language];
  const g = rng.pick(book.given);
  return { given: g, familyName: genderedFamilyName(language, rng.pick(book.family), g.gender) };
}
