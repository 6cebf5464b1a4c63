"""Private files: uploads judged by their content, stored where no URL reaches them, and read
only through one view that asks the access policy. Every app that takes files uses this app.

    kinds       the allow-list (settings.PRIVATE_FILE_KINDS): what each kind is called, its size
                limit, and whether a browser may show it inline
    content     judge an upload: sniff its kind from its first bytes, then check its structure
                (zips, pdfs, images, media hold the checks for each family of kinds)
    storage     the private storage, the generic upload_to and safe download names
    models      PrivateFile, the abstract model a record holding a file inherits
    registry    the models whose files the download view serves
    services    store a judged upload for a record
    forms       PrivateFileField, which tells people what they may upload
    views       the one download view
"""
