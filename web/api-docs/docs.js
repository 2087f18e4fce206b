// The API documentation page (/api/docs): Swagger UI over this server's OpenAPI document.
// A file, not an inline script, so that the page's Content-Security-Policy allows no inline
// script at all. The server serves index.html with each file's content-hashed URL.
window.SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui', deepLinking: true, filter: false });
