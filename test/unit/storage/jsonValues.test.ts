import { jsonValues } from '../../../storage/scripts/jsonValues.js';

const fail = (expected: string): never => {
  throw new Error(`expected ${expected}`);
};

test("reads text, and Lua's false as null", () => {
  expect(jsonValues('["a",false,"","naïve \\u0000 \\n,"]', fail)).toEqual(['a', null, '', 'naïve \u0000 \n,']);
});

test('anything but a JSON array of text and false is refused', () => {
  expect(() => jsonValues('not json', fail)).toThrow(/a JSON array/);
  expect(() => jsonValues('{"a":1}', fail)).toThrow(/a JSON array/);
  expect(() => jsonValues('["a",1]', fail)).toThrow(/text or false/);
  expect(() => jsonValues('["a",null]', fail)).toThrow(/text or false/);
});
