/** Every language's catalogue, by language (English complete, the others partial). */
import { EN, type MessageKey } from "./catalogue";
import { ES } from "./es";
import type { Language } from "./languages";

export const CATALOGUES: Readonly<Record<Language, Partial<Record<MessageKey, string>>>> = { en: EN, es: ES };
