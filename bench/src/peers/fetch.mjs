// The floor: one image call with the runtime's own fetch and nothing else.
export const peers = [
  {
    name: 'plain fetch',
    bundle: `
      export const run = async (url, key, prompt) => {
        const answer = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' }, body: JSON.stringify({ prompt }) })
        return answer.json()
      }`,
  },
]
