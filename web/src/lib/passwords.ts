/**
 * The server's MIN_PASSWORD_LENGTH (src/viewfinder/identity/service/passwords.py): the forms that choose a password
 * check it before sending. The server also refuses common passwords, which only it can tell.
 */
export const MIN_PASSWORD_LENGTH = 10;
