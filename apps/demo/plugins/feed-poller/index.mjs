export default { kinds: ['rss', 'http_json'] };
