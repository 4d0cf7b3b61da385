/**
 * The Spanish catalogue: a partial translation of catalogue.ts. A key missing here is shown in
 * English; each template uses exactly the parameters of its English one (catalogue.test.ts).
 */
import type { MessageKey } from "./catalogue";

export const ES: Partial<Record<MessageKey, string>> = {
  "list.and": "{first} y {last}",

  "room.nowhere": "No estás en ninguna parte.",
  "room.exits": "Salidas: {exits}.",
  "room.noExits": "ninguna",
  "room.items": "Ves: {items}.",
  "room.npcHere": "{name} está aquí.",
  "room.playerHere": "{name} está aquí.",
  "room.playerLinkdead": "{name} está aquí, con la mirada perdida (sin conexión).",
  "room.arrive": "{name} llega.",
  "room.leaveRealm": "{name} abandona el reino.",
  "room.linkdead": "{name} se queda con la mirada perdida: sin conexión.",

  "item.something": "algo",
  "item.notCarrying": "No llevas eso.",
  "item.dontHave": "No tienes eso.",
  "item.carry": "Llevas: {items}.",
  "item.carryNothing": "No llevas nada.",
  "item.get.what": "¿Qué quieres coger?",
  "item.get.self": "Recoges {item}.",
  "item.get.room": "{actor} recoge {item}.",
  "item.drop.what": "¿Qué quieres soltar?",
  "item.drop.self": "Sueltas {item}.",
  "item.drop.room": "{actor} suelta {item}.",
  "item.give.self": "Le das {item} a {to}.",
  "item.give.receiver": "{actor} te da {item}.",

  "combat.attack.what": "¿Atacar a quién?",
  "combat.attack.self": "¡Atacas a {target}!",
  "combat.attack.room": "¡{actor} ataca a {target}!",
  "combat.rest.self": "Te sientas a descansar.",
  "combat.rest.room": "{actor} se sienta a descansar.",

  "character.noEffects": "No tienes ningún efecto encima.",

  "fight.miss.self": "Fallas contra {target}.",
  "fight.hit.self": "Golpeas a {target} por {damage}.",
  "fight.hit.selfCrit": "Golpeas a {target} por {damage}. ¡Un golpe crítico!",
  "fight.npcDies": "{name} muere.",
  "fight.npcAppears": "{name} aparece.",
  "fight.youDie": "Mueres...",
  "fight.playerDies": "{name} muere.",
  "fight.wake": "Despiertas en {room}, débil pero con vida.",

  "step.unknownCommand": '¿Qué? "{word}" no es un comando. Escribe help para ver la lista.',
  "effect.end": "{effect} se desvanece.",
  "reward.xp": "Ganas {amount} puntos de experiencia.",
  "reward.level.self": "¡Alcanzas el nivel {level}!",
  "reward.level.room": "¡{name} alcanza el nivel {level}!",

  "skill.atWhom": "¿Contra quién lo lanzas?",
  "skill.nothingToStrike": "Aquí no hay nada que golpear.",
  "skill.mend.self": "Una luz cálida te envuelve.",

  "move.where": "¿Adónde? Prueba una de las salidas.",
  "move.closed": "El camino hacia {exit} está cerrado.",
  "move.leaves": "{name} se va hacia {exit}.",
  "say.what": "¿Decir qué?",
  "say.self": 'Dices: "{text}"',
  "say.room": '{actor} dice: "{text}"',
  "who.title": "Jugadores en {zone} ({count}):",
  "help.list": "Comandos: {commands}.\nEscribe help <comando> para saber más.",

  "zone.talkOnly": "Esta zona es solo un lugar para charlar: aquí puedes usar say y who.",
  "travel.failed": "No se pudo tomar el camino a {zone}; te quedas aquí.",

  "examine.what": "¿Mirar qué?",
  "examine.notHere": "No ves eso aquí.",
  "examine.looksAtYou": "{actor} te mira.",
  "examine.plain": "No tiene nada de particular.",
  "examine.carrying": "Lo llevas encima.",
  "examine.using": "Lo estás usando.",
  "examine.condition.perfect": "está en perfecto estado",
  "examine.condition.scratches": "tiene unos rasguños",
  "examine.condition.wounded": "está herido",
  "examine.condition.badly": "está malherido",
  "examine.condition.dying": "está al borde de la muerte",
  "examine.player.self": "Eres {name}, {class} de nivel {level}.",

  "cast.noSpells": "No conoces ningún hechizo.",
};
