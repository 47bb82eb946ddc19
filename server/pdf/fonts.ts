// Vietnamese-capable TTF fonts for PDFs we generate. Decree 30 asks for Times New Roman; Tinos
// (Debian fonts-croscore) is its metric twin. Noto Serif from npm is the portable fallback, so
// nothing depends on an undeclared system font. FONT_DIR may point at another folder holding
// Regular/Bold/Italic TTFs named like Tinos'.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export type FontStyle = 'regular' | 'bold' | 'italic';
export interface FontSet {
  name: string;
  files: Record<FontStyle, string>;
}

const require = createRequire(import.meta.url);

function tinos(dir: string): FontSet | null {
  const files = {
    regular: path.join(dir, 'Tinos-Regular.ttf'),
    bold: path.join(dir, 'Tinos-Bold.ttf'),
    italic: path.join(dir, 'Tinos-Italic.ttf'),
  };
  return Object.values(files).every((f) => fs.existsSync(f)) ? { name: 'Tinos', files } : null;
}

function noto(): FontSet {
  const base = path.dirname(require.resolve('@expo-google-fonts/noto-serif/package.json'));
  return {
    name: 'Noto Serif',
    files: {
      regular: path.join(base, '400Regular/NotoSerif_400Regular.ttf'),
      bold: path.join(base, '700Bold/NotoSerif_700Bold.ttf'),
      italic: path.join(base, '400Regular_Italic/NotoSerif_400Regular_Italic.ttf'),
    },
  };
}

let cached: FontSet | undefined;
export function serifFonts(env: NodeJS.ProcessEnv = process.env): FontSet {
  if (cached) return cached;
  cached = (env.FONT_DIR && tinos(env.FONT_DIR)) || tinos('/usr/share/fonts/truetype/croscore') || noto();
  return cached;
}

const bytesCache = new Map<string, Buffer>();
export function fontBytes(style: FontStyle): Buffer {
  const file = serifFonts().files[style];
  let b = bytesCache.get(file);
  if (!b) bytesCache.set(file, (b = fs.readFileSync(file)));
  return b;
}
