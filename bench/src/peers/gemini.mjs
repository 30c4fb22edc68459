// Google's own SDK, calling the Gemini API directly.
import { installed } from './index.mjs'

export const peers = [
  {
    name: installed('@google/genai'),
    bundle: `
      import { GoogleGenAI } from '@google/genai'
      const ai = new GoogleGenAI({ apiKey: 'k' })
      export const run = (prompt) => ai.models.generateContent({ model: 'gemini-2.5-flash-image', contents: prompt })`,
  },
]
