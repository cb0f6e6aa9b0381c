// Reads curl commands as the docs print them, so a test can send each one, verbatim, to the mock.
// A small shell-word reader: quotes may span lines, `\` continues a line, and text glued to a closing
// quote (`}'{ …`, `}'Ineligible Response Example`) ends the command.

export interface CurlCommand {
  file: string;
  line: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  form?: Array<[string, string]>;
}

function readWords(text: string, start: number): string[] {
  const words: string[] = [];
  let i = start;
  let word = '';
  let inWord = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      // The docs glue what follows a command to its closing quote (a response `{…`, a heading): stop there.
      if (i < text.length && !/[\s\\]/.test(text[i]!)) break;
      continue;
    }
    if (ch === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      if (ch === '\n') break;
      i++;
      continue;
    }
    word += ch;
    inWord = true;
    i++;
  }
  if (inWord) words.push(word);
  return words;
}

export function extractCurls(file: string, text: string): CurlCommand[] {
  const curls: CurlCommand[] = [];
  for (const match of text.matchAll(/(^|[^\w])curl /g)) {
    const start = match.index! + match[0].length;
    const words = readWords(text, start);
    const curl: CurlCommand = {
      file,
      line: text.slice(0, start).split('\n').length,
      method: 'GET',
      url: '',
      headers: {},
    };
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (w === '-H') {
        const [name, ...value] = words[++i]!.split(':');
        curl.headers[name!.trim().toLowerCase()] = value.join(':').trim();
      } else if (w === '-d') {
        curl.body = words[++i];
        curl.method = 'POST';
      } else if (w === '-F') {
        const [name, ...value] = words[++i]!.split('=');
        (curl.form ??= []).push([name!, value.join('=')]);
        curl.method = 'POST';
      } else if (w === '-X') {
        curl.method = words[++i]!;
      } else if (!w.startsWith('-') && !curl.url) {
        curl.url = w;
      }
    }
    curls.push(curl);
  }
  return curls;
}
